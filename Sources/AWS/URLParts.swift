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
        guard let schemeEnd = url.range(of: "://") else { throw Invalid(url: url) }
        scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw Invalid(url: url) }
        var rest = url[schemeEnd.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        let afterAuthority = rest[authorityEnd...]
        prefix = String(url[..<authorityEnd])
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = String(authority[...close]).lowercased()
            let tail = authority[authority.index(after: close)...]
            port = tail.hasPrefix(":") ? Int(tail.dropFirst()) : nil
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon].lowercased()
            let portText = authority[authority.index(after: colon)...]
            guard portText.isEmpty || Int(portText) != nil else { throw Invalid(url: url) }
            port = Int(portText)
        } else {
            host = authority.lowercased()
            port = nil
        }
        guard !host.isEmpty else { throw Invalid(url: url) }
        if let question = afterAuthority.firstIndex(of: "?") {
            path = String(afterAuthority[..<question])
            query = String(afterAuthority[afterAuthority.index(after: question)...])
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
