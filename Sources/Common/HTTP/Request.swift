import Foundation

/// One HTTP request as nginx hands it over FastCGI.
public struct Request: Sendable {
    public let method: String
    /// The path as the client sent it, still percent-encoded (what a signature covers).
    public let rawPath: String
    /// The query string as the client sent it, without `?`, not decoded.
    public let rawQuery: String
    /// Header names in lowercase.
    public let headers: [String: String]
    public let body: [UInt8]
    /// nginx's `$request_id`, also returned to the client as `X-Request-ID`.
    public let requestID: String
    /// When nginx received the request (seconds since 1970, its `$msec`), so
    /// deadlines count the time the request waited for a thread.
    public let receivedAt: Double?

    public init(method: String, rawPath: String, rawQuery: String = "", headers: [String: String] = [:],
                body: [UInt8] = [], requestID: String = "", receivedAt: Double? = nil) {
        self.method = method
        self.rawPath = rawPath
        self.rawQuery = rawQuery
        self.headers = headers
        self.body = body
        self.requestID = requestID
        self.receivedAt = receivedAt
    }

    /// The decoded path.
    public var path: String { PercentDecoding.decodePath(rawPath) ?? rawPath }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The media type of the body, without parameters, lowercased.
    public var contentType: String? {
        header("content-type").map { value in
            let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
            var type = Array(value.utf8.prefix { $0 != UInt8(ascii: ";") })
            while let last = type.last, isSpace(last) { type.removeLast() }
            let start = type.firstIndex { !isSpace($0) } ?? type.endIndex
            // Media types are ASCII tokens: lowercasing A-Z is all there is to do.
            return String(decoding: type[start...].map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
        }
    }

    /// Query parameters, decoded; malformed escapes are a 400.
    public func queryItems() throws -> FormFields {
        try FormFields(parsing: Array(rawQuery.utf8), what: "query string")
    }

    /// Allows only the given methods (HEAD is allowed wherever GET is).
    public func require(_ methods: String...) throws {
        if methods.contains(method) || (method == "HEAD" && methods.contains("GET")) { return }
        throw HTTPError.methodNotAllowed(method, allowed: methods)
    }

    /// The bearer token of `Authorization`, if any.
    public var bearerToken: String? {
        guard let value = header("authorization") else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}
