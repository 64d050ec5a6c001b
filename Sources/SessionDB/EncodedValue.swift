import Foundation

/// A value in its stored form (see `StoredEncoding`). Encoding and decoding happen outside any write
/// transaction: LMDB has one writer for the whole host, so the write lock is
/// held only to compare and copy bytes.
public struct EncodedValue<Value: Codable & Sendable>: Sendable, Equatable {
    public let bytes: Data

    init(bytes: Data) {
        self.bytes = bytes
    }

    public init(_ value: Value) throws {
        bytes = try StoredEncoding.encode(value)
    }

    public func decode() throws -> Value {
        try StoredEncoding.decode(Value.self, from: bytes)
    }
}
