/// The parts of an absolute URL that signing and addressing need, split without
/// any normalization so the path and query stay exactly as they will be sent.
struct URLParts: Sendable, Equatable {
    var scheme: String
    /// Lowercased host name (IPv6 literals keep their brackets).
    var host: String
    var port: Int?
    /// The raw, still percent-encoded path ("" when the URL has none).
    var path: String
    /// The raw query string without `?` ("" when absent).
    var query: String
    /// `scheme://authority` exactly as written (port and userinfo kept).
    var prefix: String

    struct Invalid: Error, CustomStringConvertible {
        let url: String
        var description: String { "not an absolute http(s) URL: \(url)" }
    }

    init(_ url: String) throws(Invalid) {
        // Searched as UTF-8: every delimiter is ASCII, and a UTF-8 index is a
        // valid String index to slice at.
        let bytes = url.utf8
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
              bytes[colon...].starts(with: "://".utf8) else { throw Invalid(url: url) }
        scheme = url[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else { throw Invalid(url: url) }
        var rest = url[bytes.index(colon, offsetBy: 3)...]
        if let hash = rest.utf8.firstIndex(of: UInt8(ascii: "#")) { rest = rest[..<hash] }
        let authorityEnd = rest.utf8.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        let afterAuthority = rest[authorityEnd...]
        prefix = String(url[..<authorityEnd])
        if let at = authority.utf8.lastIndex(of: UInt8(ascii: "@")) { authority = authority[authority.utf8.index(after: at)...] }
        if authority.utf8.first == UInt8(ascii: "["), let close = authority.utf8.firstIndex(of: UInt8(ascii: "]")) {
            host = String(authority[...close]).lowercased()
            let tail = authority[authority.utf8.index(after: close)...]
            port = tail.utf8.first == UInt8(ascii: ":") ? Int(tail.dropFirst()) : nil
        } else if let colon = authority.utf8.lastIndex(of: UInt8(ascii: ":")) {
            host = authority[..<colon].lowercased()
            let portText = authority[authority.utf8.index(after: colon)...]
            guard portText.isEmpty || Int(portText) != nil else { throw Invalid(url: url) }
            port = Int(portText)
        } else {
            host = authority.lowercased()
            port = nil
        }
        guard !host.isEmpty else { throw Invalid(url: url) }
        if let question = afterAuthority.utf8.firstIndex(of: UInt8(ascii: "?")) {
            path = String(afterAuthority[..<question])
            query = String(afterAuthority[afterAuthority.utf8.index(after: question)...])
        } else {
            path = String(afterAuthority)
            query = ""
        }
    }

    /// The Host header value: the host, plus the port when it is not the scheme's default.
    var hostHeader: String {
        guard let port, port != (scheme == "https" ? 443 : 80) else { return host }
        return "\(host):\(port)"
    }

    /// `scheme://host[:port]`, the base other paths are appended to.
    var origin: String {
        guard let port else { return "\(scheme)://\(host)" }
        return "\(scheme)://\(host):\(port)"
    }
}
