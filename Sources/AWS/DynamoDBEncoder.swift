import Foundation

/// Encodes `Encodable` values into DynamoDB attribute values.
///
/// - Numbers (all integer types, `Double`, `Float`, `Decimal`) become exact `N` texts.
/// - `nil` optionals are omitted (synthesized `Codable` skips them); an explicit
///   `encodeNil()` writes `NULL`.
/// - `Data` becomes `B`; `Date` follows `dateEncodingStrategy`; non-empty
///   `Set<String>` and sets of numbers become `SS` / `NS`.
/// - Nested structs and dictionaries become `M`, arrays `L`.
public struct DynamoDBEncoder: Sendable {
    /// How `Date` values are written.
    public enum DateEncodingStrategy: Sendable {
        /// `S`, e.g. `2024-05-01T10:00:00Z` (UTC, fractional seconds when present).
        case iso8601
        /// `N`, seconds since 1970 (what DynamoDB TTL attributes need).
        case secondsSince1970
        /// `N`, milliseconds since 1970.
        case millisecondsSince1970
    }

    /// How `Date` values are written; ISO 8601 by default.
    public var dateEncodingStrategy: DateEncodingStrategy = .iso8601

    /// An encoder with default settings.
    public init() {}

    /// Encodes a value that must become a map (a struct or dictionary) into an item.
    public func encode<T: Encodable>(_ value: T) throws -> DynamoDBItem {
        guard case .map(let item) = try encodeValue(value) else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "top-level value does not encode to a map"))
        }
        return item
    }

    /// Encodes any value into one attribute value.
    public func encodeValue<T: Encodable>(_ value: T) throws -> AttributeValue {
        let encoder = AttributeEncoder(codingPath: [], strategy: dateEncodingStrategy)
        try encoder.encodeAny(value)
        return try encoder.node.attributeValue(codingPath: [])
    }
}

/// A node of the value tree being built; containers hand out child nodes.
final class EncodedNode {
    enum Content {
        case unset
        case value(AttributeValue)
        case map([String: EncodedNode])
        case list([EncodedNode])
    }

    var content: Content = .unset

    func attributeValue(codingPath: [any CodingKey]) throws -> AttributeValue {
        switch content {
        case .unset: return .map([:])
        case .value(let value): return value
        case .map(let children):
            var out: [String: AttributeValue] = [:]
            out.reserveCapacity(children.count)
            for (key, child) in children {
                if case .unset = child.content { continue }
                out[key] = try child.attributeValue(codingPath: codingPath)
            }
            return .map(out)
        case .list(let children):
            return .list(try children.map { try $0.attributeValue(codingPath: codingPath) })
        }
    }

    func mapChild(_ key: String) -> EncodedNode {
        var children: [String: EncodedNode]
        if case .map(let existing) = content { children = existing } else { children = [:] }
        if let child = children[key] { return child }
        let child = EncodedNode()
        children[key] = child
        content = .map(children)
        return child
    }

    func appendListChild() -> EncodedNode {
        var children: [EncodedNode]
        if case .list(let existing) = content { children = existing } else { children = [] }
        let child = EncodedNode()
        children.append(child)
        content = .list(children)
        return child
    }

    var listCount: Int { if case .list(let c) = content { c.count } else { 0 } }
}

final class AttributeEncoder: Encoder {
    let node: EncodedNode
    let codingPath: [any CodingKey]
    let strategy: DynamoDBEncoder.DateEncodingStrategy
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(node: EncodedNode = EncodedNode(), codingPath: [any CodingKey], strategy: DynamoDBEncoder.DateEncodingStrategy) {
        self.node = node
        self.codingPath = codingPath
        self.strategy = strategy
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .map = node.content {} else { node.content = .map([:]) }
        return KeyedEncodingContainer(KeyedAttributeEncoder<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .list = node.content {} else { node.content = .list([]) }
        return UnkeyedAttributeEncoder(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleAttributeEncoder(encoder: self) }

    func child(_ node: EncodedNode, key: any CodingKey) -> AttributeEncoder {
        AttributeEncoder(node: node, codingPath: codingPath + [key], strategy: strategy)
    }

    /// Encodes into this encoder's node, with the special cases `Codable` alone gets wrong for DynamoDB.
    func encodeAny<T: Encodable>(_ value: T) throws {
        if let special = try specialValue(value) {
            node.content = .value(special)
        } else {
            try value.encode(to: self)
        }
    }

    func specialValue<T: Encodable>(_ value: T) throws -> AttributeValue? {
        switch value {
        case let v as AttributeValue: return v
        case let v as Data: return .binary(Array(v))
        case let v as Decimal: return .decimal(v)
        case let v as Double: return try number(v)
        case let v as Float: return try number(Double(v))
        case let v as URL: return .string(v.absoluteString)
        case let v as Date:
            switch strategy {
            case .iso8601: return .string(Self.iso8601(v))
            case .secondsSince1970: return .double(v.timeIntervalSince1970)
            case .millisecondsSince1970: return .double((v.timeIntervalSince1970 * 1000).rounded())
            }
        case let v as Set<String> where !v.isEmpty: return .stringSet(v.sorted())
        case let v as Set<Int> where !v.isEmpty: return .numberSet(v.sorted().map(String.init))
        case let v as Set<Int64> where !v.isEmpty: return .numberSet(v.sorted().map(String.init))
        case let v as Set<UInt64> where !v.isEmpty: return .numberSet(v.sorted().map(String.init))
        case let v as Set<Double> where !v.isEmpty: return .numberSet(v.sorted().map(NumberText.format))
        default: return nil
        }
    }

    func number(_ value: Double) throws -> AttributeValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "DynamoDB numbers must be finite"))
        }
        return .double(value)
    }

    static func iso8601(_ date: Date) -> String {
        let whole = date.timeIntervalSince1970.rounded(.down)
        let millis = Int(((date.timeIntervalSince1970 - whole) * 1000).rounded())
        let base = AMZDate.iso8601(Date(timeIntervalSince1970: whole))
        guard millis > 0, millis < 1000 else { return base }
        let fraction = String(millis)
        return base.dropLast() + "." + String(repeating: "0", count: 3 - fraction.count) + fraction + "Z"
    }
}

private struct KeyedAttributeEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: AttributeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    private func set(_ value: AttributeValue, _ key: Key) { encoder.node.mapChild(key.stringValue).content = .value(value) }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(try encoder.number(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(try encoder.number(Double(value)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.int(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(.int(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(.int(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(.int(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(.int(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(.int(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.int(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.int(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.int(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(.int(value), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encoder.child(encoder.node.mapChild(key.stringValue), key: key).encodeAny(value)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        encoder.child(encoder.node.mapChild(key.stringValue), key: key).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        encoder.child(encoder.node.mapChild(key.stringValue), key: key).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder {
        encoder.child(encoder.node.mapChild("super"), key: AnyKey("super"))
    }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        encoder.child(encoder.node.mapChild(key.stringValue), key: key)
    }
}

private struct UnkeyedAttributeEncoder: UnkeyedEncodingContainer {
    let encoder: AttributeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { encoder.node.listCount }

    private func append(_ value: AttributeValue) { encoder.node.appendListChild().content = .value(value) }
    private var nextKey: AnyKey { AnyKey(index: count) }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(try encoder.number(value)) }
    mutating func encode(_ value: Float) throws { append(try encoder.number(Double(value))) }
    mutating func encode(_ value: Int) throws { append(.int(value)) }
    mutating func encode(_ value: Int8) throws { append(.int(value)) }
    mutating func encode(_ value: Int16) throws { append(.int(value)) }
    mutating func encode(_ value: Int32) throws { append(.int(value)) }
    mutating func encode(_ value: Int64) throws { append(.int(value)) }
    mutating func encode(_ value: UInt) throws { append(.int(value)) }
    mutating func encode(_ value: UInt8) throws { append(.int(value)) }
    mutating func encode(_ value: UInt16) throws { append(.int(value)) }
    mutating func encode(_ value: UInt32) throws { append(.int(value)) }
    mutating func encode(_ value: UInt64) throws { append(.int(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let key = nextKey
        try encoder.child(encoder.node.appendListChild(), key: key).encodeAny(value)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let key = nextKey
        return encoder.child(encoder.node.appendListChild(), key: key).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let key = nextKey
        return encoder.child(encoder.node.appendListChild(), key: key).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder {
        let key = nextKey
        return encoder.child(encoder.node.appendListChild(), key: key)
    }
}

private struct SingleAttributeEncoder: SingleValueEncodingContainer {
    let encoder: AttributeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    private func set(_ value: AttributeValue) { encoder.node.content = .value(value) }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(try encoder.number(value)) }
    mutating func encode(_ value: Float) throws { set(try encoder.number(Double(value))) }
    mutating func encode(_ value: Int) throws { set(.int(value)) }
    mutating func encode(_ value: Int8) throws { set(.int(value)) }
    mutating func encode(_ value: Int16) throws { set(.int(value)) }
    mutating func encode(_ value: Int32) throws { set(.int(value)) }
    mutating func encode(_ value: Int64) throws { set(.int(value)) }
    mutating func encode(_ value: UInt) throws { set(.int(value)) }
    mutating func encode(_ value: UInt8) throws { set(.int(value)) }
    mutating func encode(_ value: UInt16) throws { set(.int(value)) }
    mutating func encode(_ value: UInt32) throws { set(.int(value)) }
    mutating func encode(_ value: UInt64) throws { set(.int(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeAny(value) }
}

/// A coding key built at run time (list indexes, `super`).
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ string: String) { stringValue = string }
    init(index: Int) { stringValue = "Index \(index)"; intValue = index }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
}
