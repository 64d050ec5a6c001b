import Foundation

/// Decodes `Decodable` values from DynamoDB attribute values.
///
/// The counterpart of `DynamoDBEncoder`: `N` texts are parsed exactly into the
/// requested numeric type (an `N` that does not fit is an error, never silently
/// rounded, except into `Double`/`Float`); a missing attribute or `NULL` decodes as
/// `nil`; `Date` accepts ISO 8601 `S` or seconds-since-1970 `N`; `SS`/`NS`/`BS`
/// decode into arrays and sets.
public struct DynamoDBDecoder: Sendable {
    /// A decoder with default settings.
    public init() {}

    /// Decodes an item into `type`.
    public func decode<T: Decodable>(_ type: T.Type, from item: DynamoDBItem) throws -> T {
        try decode(type, from: .map(item))
    }

    /// Decodes one attribute value into `type`.
    public func decode<T: Decodable>(_ type: T.Type, from value: AttributeValue) throws -> T {
        try AttributeDecoder(value: value, codingPath: []).decodeAny(type)
    }
}

struct AttributeDecoder: Decoder {
    let value: AttributeValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .map(let members) = value else { throw mismatch([String: AttributeValue].self, "a map (M)") }
        return KeyedDecodingContainer(KeyedAttributeDecoder<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let elements: [AttributeValue]
        switch value {
        case .list(let list): elements = list
        case .stringSet(let set): elements = set.map { .string($0) }
        case .numberSet(let set): elements = set.map { .number($0) }
        case .binarySet(let set): elements = set.map { .binary($0) }
        default: throw mismatch([AttributeValue].self, "a list or set (L, SS, NS, BS)")
        }
        return UnkeyedAttributeDecoder(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleAttributeDecoder(decoder: self)
    }

    func mismatch(_ type: Any.Type, _ expected: String) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(value.typeName)"))
    }

    func decodeAny<T: Decodable>(_ type: T.Type) throws -> T {
        if type == AttributeValue.self { return value as! T }
        if type == Data.self {
            guard case .binary(let bytes) = value else { throw mismatch(type, "binary (B)") }
            return Data(bytes) as! T
        }
        if type == Decimal.self {
            guard case .number(let text) = value, let decimal = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
                throw mismatch(type, "a number (N)")
            }
            return decimal as! T
        }
        if type == Date.self {
            switch value {
            case .string(let text):
                guard let date = AMZDate.parseISO8601(text) else { throw mismatch(type, "an ISO 8601 date") }
                return date as! T
            case .number(let text):
                guard let seconds = Double(text) else { throw mismatch(type, "a number (N)") }
                return Date(timeIntervalSince1970: seconds) as! T
            default:
                throw mismatch(type, "a date (S or N)")
            }
        }
        if type == URL.self {
            guard case .string(let text) = value, let url = URL(string: text) else { throw mismatch(type, "a URL string") }
            return url as! T
        }
        return try T(from: self)
    }

    // Scalars, shared by the three container kinds.

    func decodeBool() throws -> Bool {
        guard case .bool(let v) = value else { throw mismatch(Bool.self, "a boolean (BOOL)") }
        return v
    }

    func decodeString() throws -> String {
        guard case .string(let v) = value else { throw mismatch(String.self, "a string (S)") }
        return v
    }

    func decodeInteger<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard case .number(let text) = value else { throw mismatch(type, "a number (N)") }
        if let exact = T(text) { return exact }
        // "1E+3" or "12.0" are integers too; anything inexact or out of range is refused.
        if let decimal = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) {
            var rounded = decimal
            var source = decimal
            NSDecimalRound(&rounded, &source, 0, .plain)
            if rounded == decimal, let exact = T(NumberText.format(decimal)) { return exact }
        }
        throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "number \(text) does not fit \(type)"))
    }

    func decodeDouble() throws -> Double {
        guard case .number(let text) = value, let v = Double(text) else { throw mismatch(Double.self, "a number (N)") }
        return v
    }
}

private struct KeyedAttributeDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: AttributeValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func child(_ key: Key) throws -> AttributeDecoder {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no attribute \(key.stringValue)"))
        }
        return AttributeDecoder(value: value, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool { members[key.stringValue]?.isNull ?? true }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try child(key).decodeBool() }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try child(key).decodeString() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try child(key).decodeDouble() }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try child(key).decodeDouble()) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try child(key).decodeInteger(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try child(key).decodeInteger(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try child(key).decodeInteger(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try child(key).decodeInteger(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try child(key).decodeInteger(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try child(key).decodeInteger(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try child(key).decodeInteger(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try child(key).decodeInteger(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try child(key).decodeInteger(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try child(key).decodeInteger(type) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).decodeAny(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try child(key).unkeyedContainer() }
    func superDecoder() throws -> any Decoder {
        AttributeDecoder(value: members["super"] ?? .null, codingPath: codingPath + [AnyKey("super")])
    }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        AttributeDecoder(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

private struct UnkeyedAttributeDecoder: UnkeyedDecodingContainer {
    let elements: [AttributeValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(elements: [AttributeValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next() throws -> AttributeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "list exhausted"))
        }
        defer { currentIndex += 1 }
        return AttributeDecoder(value: elements[currentIndex], codingPath: codingPath + [AnyKey(index: currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().decodeBool() }
    mutating func decode(_ type: String.Type) throws -> String { try next().decodeString() }
    mutating func decode(_ type: Double.Type) throws -> Double { try next().decodeDouble() }
    mutating func decode(_ type: Float.Type) throws -> Float { Float(try next().decodeDouble()) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next().decodeInteger(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next().decodeInteger(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next().decodeInteger(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next().decodeInteger(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next().decodeInteger(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next().decodeInteger(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next().decodeInteger(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next().decodeInteger(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next().decodeInteger(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next().decodeInteger(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeAny(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct SingleAttributeDecoder: SingleValueDecodingContainer {
    let decoder: AttributeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.decodeBool() }
    func decode(_ type: String.Type) throws -> String { try decoder.decodeString() }
    func decode(_ type: Double.Type) throws -> Double { try decoder.decodeDouble() }
    func decode(_ type: Float.Type) throws -> Float { Float(try decoder.decodeDouble()) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.decodeInteger(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.decodeInteger(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.decodeInteger(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.decodeInteger(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.decodeInteger(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.decodeInteger(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.decodeInteger(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.decodeInteger(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.decodeInteger(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.decodeInteger(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeAny(type) }
}

extension AttributeValue {
    /// The DynamoDB type letter, for error messages.
    var typeName: String {
        switch self {
        case .string: "S"
        case .number: "N"
        case .binary: "B"
        case .bool: "BOOL"
        case .null: "NULL"
        case .map: "M"
        case .list: "L"
        case .stringSet: "SS"
        case .numberSet: "NS"
        case .binarySet: "BS"
        }
    }
}
