import Foundation

/// A value that has a compact binary form (see `CompactWriter`), which stores
/// use instead of JSON: for values read and written inside the host's one
/// write lock on every request, such as outbox jobs and their index.
public protocol CompactCodable {
    init(compact: inout CompactReader) throws
    func encode(compact: inout CompactWriter)
}

/// How a store's values become bytes: the compact form for `CompactCodable`
/// values, behind a marker byte no JSON text starts with; JSON otherwise.
/// Values stored as JSON by an earlier version are still read.
enum StoredEncoding {
    static let compactMarker: UInt8 = 0xC1

    static func encode<Value: Encodable>(_ value: Value) throws -> Data {
        guard let compact = value as? any CompactCodable else { return try JSONEncoder().encode(value) }
        var writer = CompactWriter()
        writer.write(compactMarker)
        compact.encode(compact: &writer)
        return writer.data
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from bytes: Data) throws -> Value {
        guard bytes.first == compactMarker, let compact = Value.self as? any CompactCodable.Type else {
            return try JSONDecoder().decode(Value.self, from: bytes)
        }
        var reader = CompactReader(bytes)
        _ = try reader.readByte()
        let value = try compact.init(compact: &reader)
        guard reader.isAtEnd else { throw CompactDecodingError.invalid("\(Value.self): bytes after the last field") }
        guard let typed = value as? Value else { throw CompactDecodingError.invalid("\(Value.self)") }
        return typed
    }
}

extension String: CompactCodable {
    public init(compact: inout CompactReader) throws {
        self = try compact.readString()
    }

    public func encode(compact: inout CompactWriter) {
        compact.write(self)
    }
}
