/// `application/x-www-form-urlencoded` fields in the order sent, duplicates kept
/// (Twilio's signature covers every pair).
public struct FormFields: Sendable, Equatable {
    public let pairs: [(name: String, value: String)]

    public init(_ pairs: [(name: String, value: String)]) {
        self.pairs = pairs
    }

    /// Parses `bytes`; a broken percent-escape or invalid UTF-8 is a 400 naming
    /// `what` and the offending field.
    public init(parsing bytes: [UInt8], what: String = "form body") throws {
        var pairs: [(name: String, value: String)] = []
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.endIndex
            defer { start = end + 1 }
            guard start < end else { continue }
            let piece = bytes[start..<end]
            let equals = piece.firstIndex(of: UInt8(ascii: "=")) ?? end
            guard let name = Self.decode(bytes[start..<equals]) else {
                throw HTTPError.badRequest("malformed \(what): field \(pairs.count + 1) has a broken %-escape or invalid UTF-8 in its name")
            }
            guard let value = equals < end ? Self.decode(bytes[(equals + 1)..<end]) : "" else {
                throw HTTPError.badRequest("malformed \(what): the value of '\(name)' has a broken %-escape or invalid UTF-8")
            }
            pairs.append((name, value))
        }
        self.pairs = pairs
    }

    public static func == (lhs: FormFields, rhs: FormFields) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.name == $1.name && $0.value == $1.value }
    }

    /// The first value of `name`.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// The first value of `name`, or a 400 saying it is missing.
    public func required(_ name: String) throws -> String {
        guard let value = self[name], !value.isEmpty else {
            throw HTTPError.badRequest("missing field '\(name)'")
        }
        return value
    }

    private static func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        PercentDecoding.decode(bytes, plusIsSpace: true)
    }
}

extension FormFields {
    /// The `limit` query parameter of a listing: 1 to `maximum`, `fallback` when absent.
    public func limit(default fallback: Int, maximum: Int) throws -> Int {
        guard let text = self["limit"] else { return fallback }
        guard let limit = Int(text), (1...maximum).contains(limit) else {
            throw HTTPError.badRequest("limit must be a whole number from 1 to \(maximum)")
        }
        return limit
    }
}
