import CryptoCore
import Foundation

/// A DynamoDB item: attribute names to values.
public typealias DynamoDBItem = [String: AttributeValue]

/// One DynamoDB attribute value.
///
/// Numbers are kept as their exact decimal text: DynamoDB numbers have 38 digits
/// of precision, more than any Swift numeric type except `Decimal`.
public indirect enum AttributeValue: Sendable, Hashable {
    /// `S`
    case string(String)
    /// `N`, as exact decimal text.
    case number(String)
    /// `B`
    case binary([UInt8])
    /// `BOOL`
    case bool(Bool)
    /// `NULL`
    case null
    /// `M`
    case map([String: AttributeValue])
    /// `L`
    case list([AttributeValue])
    /// `SS`
    case stringSet([String])
    /// `NS`, as exact decimal texts.
    case numberSet([String])
    /// `BS`
    case binarySet([[UInt8]])

    /// A number from any integer.
    public static func int<T: BinaryInteger>(_ value: T) -> AttributeValue { .number(String(value)) }

    /// A number from a `Double` (finite values only; DynamoDB has no NaN or infinity).
    public static func double(_ value: Double) -> AttributeValue { .number(NumberText.format(value)) }

    /// A number from a `Decimal`, exactly.
    public static func decimal(_ value: Decimal) -> AttributeValue { .number(NumberText.format(value)) }

    /// The `S` value.
    public var stringValue: String? { if case .string(let v) = self { v } else { nil } }
    /// The `N` text.
    public var numberText: String? { if case .number(let v) = self { v } else { nil } }
    /// The `N` value as an `Int`, when it is an integer in range.
    public var intValue: Int? { numberText.flatMap { Int($0) } }
    /// The `N` value as a `Double` (possibly rounded).
    public var doubleValue: Double? { numberText.flatMap { Double($0) } }
    /// The `BOOL` value.
    public var boolValue: Bool? { if case .bool(let v) = self { v } else { nil } }
    /// The `M` value.
    public var mapValue: [String: AttributeValue]? { if case .map(let v) = self { v } else { nil } }
    /// The `L` value.
    public var listValue: [AttributeValue]? { if case .list(let v) = self { v } else { nil } }
    /// The `B` value.
    public var binaryValue: [UInt8]? { if case .binary(let v) = self { v } else { nil } }
    /// Whether this is `NULL`.
    public var isNull: Bool { if case .null = self { true } else { false } }
}

extension AttributeValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(String(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: AttributeValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, AttributeValue)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
    public init(nilLiteral: ()) { self = .null }
}

/// Canonical number texts for DynamoDB.
enum NumberText {
    /// Integral doubles print without a fraction ("3", not "3.0"); others use
    /// Swift's shortest round-tripping form, which DynamoDB accepts.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func format(_ value: Decimal) -> String {
        var value = value
        return NSDecimalString(&value, Locale(identifier: "en_US_POSIX"))
    }

    /// Whether `text` is a decimal number DynamoDB would accept (sign, digits,
    /// optional fraction and exponent).
    static func isValid(_ text: String) -> Bool {
        var sawDigit = false
        var state = 0 // 0 integer part, 1 fraction, 2 exponent sign, 3 exponent digits
        for (index, c) in text.utf8.enumerated() {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                if state == 2 { state = 3 }
            case UInt8(ascii: "-"), UInt8(ascii: "+"):
                guard index == 0 || state == 2 else { return false }
                if state == 2 { state = 3; sawDigit = false }
            case UInt8(ascii: "."):
                guard state == 0 else { return false }
                state = 1
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                guard sawDigit, state < 2 else { return false }
                state = 2
                sawDigit = false
            default:
                return false
            }
        }
        return sawDigit
    }
}

// MARK: - DynamoDB JSON

/// Why a DynamoDB JSON document could not be read.
public struct AttributeValueJSONError: Error, Sendable, CustomStringConvertible {
    /// What was wrong.
    public let reason: String
    public var description: String { "invalid DynamoDB JSON: \(reason)" }
}

extension AttributeValue {
    /// The wire form, e.g. `{"S":"x"}`, `{"N":"1.5"}`, `{"M":{…}}`.
    var json: JSON {
        switch self {
        case .string(let v): .object(["S": .string(v)])
        case .number(let v): .object(["N": .string(v)])
        case .binary(let v): .object(["B": .string(Base64.encode(v))])
        case .bool(let v): .object(["BOOL": .bool(v)])
        case .null: .object(["NULL": .bool(true)])
        case .map(let v): .object(["M": .object(v.mapValues { $0.json })])
        case .list(let v): .object(["L": .array(v.map { $0.json })])
        case .stringSet(let v): .object(["SS": .array(v.map { .string($0) })])
        case .numberSet(let v): .object(["NS": .array(v.map { .string($0) })])
        case .binarySet(let v): .object(["BS": .array(v.map { .string(Base64.encode($0)) })])
        }
    }

    init(json: JSON) throws(AttributeValueJSONError) {
        guard case .object(let members) = json, members.count == 1, let (type, value) = members.first else {
            throw AttributeValueJSONError(reason: "an attribute value must be an object with one type key")
        }
        func strings(_ value: JSON) throws(AttributeValueJSONError) -> [String] {
            guard let array = value.array else { throw AttributeValueJSONError(reason: "\(type) must be an array") }
            var out: [String] = []
            for element in array {
                guard let text = element.string else { throw AttributeValueJSONError(reason: "\(type) holds a non-string") }
                out.append(text)
            }
            return out
        }
        func binary(_ text: String) throws(AttributeValueJSONError) -> [UInt8] {
            guard let bytes = Base64.decode(text) else { throw AttributeValueJSONError(reason: "B is not base64") }
            return bytes
        }
        switch type {
        case "S":
            guard let v = value.string else { throw AttributeValueJSONError(reason: "S must be a string") }
            self = .string(v)
        case "N":
            // Numbers arrive as strings; accept a bare JSON number too, keeping its text.
            if let v = value.string { self = .number(v) }
            else if case .number(let v) = value { self = .number(v) }
            else { throw AttributeValueJSONError(reason: "N must be a string") }
        case "B":
            guard let v = value.string else { throw AttributeValueJSONError(reason: "B must be a string") }
            self = .binary(try binary(v))
        case "BOOL":
            guard let v = value.bool else { throw AttributeValueJSONError(reason: "BOOL must be a boolean") }
            self = .bool(v)
        case "NULL":
            self = .null
        case "M":
            guard let members = value.object else { throw AttributeValueJSONError(reason: "M must be an object") }
            self = .map(try AttributeValue.item(json: .object(members)))
        case "L":
            guard let array = value.array else { throw AttributeValueJSONError(reason: "L must be an array") }
            var list: [AttributeValue] = []
            list.reserveCapacity(array.count)
            for element in array { list.append(try AttributeValue(json: element)) }
            self = .list(list)
        case "SS":
            self = .stringSet(try strings(value))
        case "NS":
            self = .numberSet(try strings(value))
        case "BS":
            var sets: [[UInt8]] = []
            for text in try strings(value) { sets.append(try binary(text)) }
            self = .binarySet(sets)
        default:
            throw AttributeValueJSONError(reason: "unknown attribute type \(type)")
        }
    }

    static func item(json: JSON) throws(AttributeValueJSONError) -> DynamoDBItem {
        guard let members = json.object else { throw AttributeValueJSONError(reason: "an item must be an object") }
        var item: DynamoDBItem = [:]
        item.reserveCapacity(members.count)
        for (name, value) in members { item[name] = try AttributeValue(json: value) }
        return item
    }

    static func json(item: DynamoDBItem) -> JSON { .object(item.mapValues { $0.json }) }

    /// Parses an item in DynamoDB JSON (`{"id": {"S": "a"}, "n": {"N": "1"}}`),
    /// the form the AWS CLI and boto3's low-level client use.
    public static func item(fromJSON text: String) throws(AttributeValueJSONError) -> DynamoDBItem {
        let json: JSON
        do { json = try JSON.parse(text) } catch { throw AttributeValueJSONError(reason: error.description) }
        return try item(json: json)
    }

    /// An item as DynamoDB JSON, keys sorted.
    public static func jsonString(of item: DynamoDBItem) -> String { json(item: item).text }
}
