import Foundation

/// A dense binary encoding for values read and written on every request:
/// integers as zigzag LEB128 varints, strings as a length and their UTF-8,
/// doubles as their 8-byte bit pattern, optionals as a presence byte. No keys
/// and no schema: the reader must read exactly what the writer wrote, in the
/// same order, so every format carries a version byte of its own.
public struct CompactWriter {
    @usableFromInline var buffer: [UInt8] = []

    public var bytes: [UInt8] { buffer }

    public var data: Data { Data(buffer) }

    @inlinable
    public init(capacity: Int = 256) {
        buffer.reserveCapacity(capacity)
    }

    @inlinable
    public mutating func write(_ value: UInt8) {
        buffer.append(value)
    }

    @inlinable
    public mutating func write(_ value: Bool) {
        buffer.append(value ? 1 : 0)
    }

    @inlinable
    public mutating func write(_ value: Int64) {
        var zigzag = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while zigzag >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: zigzag) | 0x80)
            zigzag >>= 7
        }
        buffer.append(UInt8(zigzag))
    }

    @inlinable
    public mutating func write(_ value: Int) {
        write(Int64(value))
    }

    @inlinable
    public mutating func write(_ value: Double) {
        var bits = value.bitPattern
        for _ in 0..<8 {
            buffer.append(UInt8(truncatingIfNeeded: bits))
            bits >>= 8
        }
    }

    @inlinable
    public mutating func write(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            write(utf8.count)
            buffer.append(contentsOf: utf8)
        }
    }

    /// Bytes as they are, after their count.
    @inlinable
    public mutating func write(bytes: [UInt8]) {
        write(bytes.count)
        buffer.append(contentsOf: bytes)
    }

    @inlinable
    public mutating func write<T>(_ value: T?, _ body: (inout CompactWriter, T) -> Void) {
        guard let value else { return write(false) }
        write(true)
        body(&self, value)
    }

    @inlinable
    public mutating func write(_ value: String?) {
        write(value) { $0.write($1) }
    }

    @inlinable
    public mutating func write(_ value: Int?) {
        write(value) { $0.write($1) }
    }

    @inlinable
    public mutating func write(_ value: Double?) {
        write(value) { $0.write($1) }
    }

    @inlinable
    public mutating func write<T>(_ values: [T], _ body: (inout CompactWriter, T) -> Void) {
        write(values.count)
        for value in values { body(&self, value) }
    }

    @inlinable
    public mutating func write(_ values: [String]) {
        write(values) { $0.write($1) }
    }

    /// Entries in key order, so equal dictionaries encode to equal bytes.
    @inlinable
    public mutating func write(_ dictionary: [String: String]) {
        write(dictionary.sorted { $0.key < $1.key }) { writer, entry in
            writer.write(entry.key)
            writer.write(entry.value)
        }
    }

    /// A string enumeration by its raw value, so that reordering cases never
    /// changes what stored bytes mean.
    @inlinable
    public mutating func write<T: RawRepresentable>(_ value: T) where T.RawValue == String {
        write(value.rawValue)
    }

    @inlinable
    public mutating func write<T: RawRepresentable>(_ value: T?) where T.RawValue == String {
        write(value) { $0.write($1.rawValue) }
    }
}

/// Why bytes could not be read back.
public enum CompactDecodingError: Error, CustomStringConvertible, Equatable {
    case truncated
    case invalid(String)

    public var description: String {
        switch self {
        case .truncated: "the value ends early"
        case .invalid(let what): "invalid \(what)"
        }
    }
}

/// Reads what a `CompactWriter` wrote, in the same order.
public struct CompactReader {
    @usableFromInline let bytes: [UInt8]
    @usableFromInline var position = 0

    @inlinable
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    @inlinable
    public init(_ data: Data) {
        bytes = [UInt8](data)
    }

    @inlinable
    public var isAtEnd: Bool { position == bytes.count }

    @inlinable
    public mutating func readByte() throws -> UInt8 {
        guard position < bytes.count else { throw CompactDecodingError.truncated }
        defer { position += 1 }
        return bytes[position]
    }

    @inlinable
    public mutating func readBool() throws -> Bool {
        switch try readByte() {
        case 0: return false
        case 1: return true
        default: throw CompactDecodingError.invalid("boolean")
        }
    }

    @inlinable
    public mutating func readInt64() throws -> Int64 {
        var zigzag: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            guard shift < 64 else { throw CompactDecodingError.invalid("varint") }
            zigzag |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        return Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
    }

    @inlinable
    public mutating func readInt() throws -> Int {
        let value = try readInt64()
        guard let int = Int(exactly: value) else { throw CompactDecodingError.invalid("integer") }
        return int
    }

    @inlinable
    public mutating func readDouble() throws -> Double {
        guard bytes.count - position >= 8 else { throw CompactDecodingError.truncated }
        var bits: UInt64 = 0
        for index in 0..<8 { bits |= UInt64(bytes[position + index]) << (8 * UInt64(index)) }
        position += 8
        return Double(bitPattern: bits)
    }

    @inlinable
    public mutating func readString() throws -> String {
        let count = try readCount()
        guard bytes.count - position >= count else { throw CompactDecodingError.truncated }
        defer { position += count }
        return bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[position..<position + count]), as: UTF8.self)
        }
    }

    @inlinable
    public mutating func readBytes() throws -> [UInt8] {
        let count = try readCount()
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    @inlinable
    public mutating func readOptional<T>(_ body: (inout CompactReader) throws -> T) throws -> T? {
        try readBool() ? try body(&self) : nil
    }

    @inlinable
    public mutating func readOptionalString() throws -> String? {
        try readOptional { try $0.readString() }
    }

    @inlinable
    public mutating func readOptionalInt() throws -> Int? {
        try readOptional { try $0.readInt() }
    }

    @inlinable
    public mutating func readOptionalDouble() throws -> Double? {
        try readOptional { try $0.readDouble() }
    }

    @inlinable
    public mutating func readArray<T>(_ body: (inout CompactReader) throws -> T) throws -> [T] {
        let count = try readCount()
        var values: [T] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try body(&self)) }
        return values
    }

    @inlinable
    public mutating func readStrings() throws -> [String] {
        try readArray { try $0.readString() }
    }

    @inlinable
    public mutating func readDictionary() throws -> [String: String] {
        let count = try readCount()
        var dictionary: [String: String] = [:]
        dictionary.reserveCapacity(count)
        for _ in 0..<count {
            let key = try readString()
            dictionary[key] = try readString()
        }
        return dictionary
    }

    @inlinable
    public mutating func readEnum<T: RawRepresentable>(_ type: T.Type = T.self) throws -> T where T.RawValue == String {
        let raw = try readString()
        guard let value = T(rawValue: raw) else { throw CompactDecodingError.invalid("\(T.self) \(raw)") }
        return value
    }

    @inlinable
    public mutating func readOptionalEnum<T: RawRepresentable>(_ type: T.Type = T.self) throws -> T?
    where T.RawValue == String {
        try readOptional { try $0.readEnum(T.self) }
    }

    /// A count of elements or bytes, which can never exceed what is left.
    @inlinable
    mutating func readCount() throws -> Int {
        let count = try readInt()
        guard count >= 0, count <= bytes.count - position else { throw CompactDecodingError.truncated }
        return count
    }
}
