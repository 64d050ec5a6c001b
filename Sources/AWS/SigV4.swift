import CryptoCore
import Foundation

/// AWS Signature Version 4 for any service and region.
///
/// Pure value code: given credentials, a request and a date it returns the headers
/// (or the URL) to send. It agrees byte for byte with botocore's `SigV4Auth`,
/// `S3SigV4Auth` and `S3SigV4QueryAuth` for well-formed (percent-encoded) URLs.
public struct SigV4Signer: Sendable {
    /// The payload hash to sign.
    public enum Payload: Sendable, Equatable {
        /// The SHA-256 of these bytes.
        case bytes([UInt8])
        /// A hex SHA-256 computed elsewhere (a file hashed by streaming it).
        case precomputedHash(String)
        /// `UNSIGNED-PAYLOAD` (S3 only: the body is not covered by the signature).
        case unsigned

        /// The hex SHA-256 of an empty body.
        public static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

        var hash: String {
            switch self {
            case .bytes(let bytes): bytes.isEmpty ? Self.emptyHash : SHA256.hexDigest(bytes)
            case .precomputedHash(let hash): hash
            case .unsigned: "UNSIGNED-PAYLOAD"
            }
        }
    }

    /// A signed request: the complete header list to send, and the intermediate
    /// strings for diagnosing a `SignatureDoesNotMatch`.
    public struct Signed: Sendable {
        /// The request's headers plus `X-Amz-Date`, `X-Amz-Security-Token`,
        /// `X-Amz-Content-SHA256` (S3) and `Authorization`.
        public var headers: [(name: String, value: String)]
        /// The value of the `Authorization` header.
        public var authorization: String
        /// The canonical request that was hashed.
        public var canonicalRequest: String
        /// The string that was signed.
        public var stringToSign: String
    }

    /// Headers that proxies may change or that clients add late; never signed (botocore's list).
    static let unsignedHeaders: Set<String> = [
        "baggage", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization",
        "te", "traceparent", "tracestate", "trailer", "transfer-encoding", "upgrade", "user-agent",
        "x-amzn-trace-id", "authorization",
    ]

    /// The longest validity S3 accepts for a presigned URL: 7 days.
    public static let maximumPresignExpiry = 604_800

    /// The credentials that sign.
    public var credentials: AWSCredentials
    /// The signing name of the service (`dynamodb`, `s3`, `sts`, …).
    public var service: String
    /// The region (`us-east-1`, …).
    public var region: String

    /// A signer for one service in one region.
    public init(credentials: AWSCredentials, service: String, region: String) {
        self.credentials = credentials
        self.service = service
        self.region = region
    }

    private var isS3: Bool { service == "s3" }

    /// Parses an `x-amz-date` timestamp (`20150830T123600Z`), for tools that sign at a fixed time.
    public static func date(fromTimestamp timestamp: String) -> Date? {
        let b = Array(timestamp.utf8)
        guard b.count == 16, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z") else { return nil }
        let t = String(decoding: b, as: UTF8.self)
        func part(_ from: Int, _ length: Int) -> Substring {
            let start = t.index(t.startIndex, offsetBy: from)
            return t[start..<t.index(start, offsetBy: length)]
        }
        return AMZDate.parseISO8601("\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(9, 2)):\(part(11, 2)):\(part(13, 2))Z")
    }

    /// Signs a request to be sent with an `Authorization` header.
    ///
    /// - Parameters:
    ///   - url: the absolute URL as it will be sent (percent-encoded path and query).
    ///   - headers: headers to send and sign; `Host` is added to the signature when absent.
    ///   - payload: the body's hash; S3 also sends it as `X-Amz-Content-SHA256`.
    ///   - date: the signing time.
    public func sign(
        method: String, url: String, headers: [(name: String, value: String)] = [],
        payload: Payload, date: Date
    ) throws -> Signed {
        let parts = try URLParts(url)
        let timestamp = AMZDate.timestamp(date)
        var out = headers.filter { header in
            let name = header.name.lowercased()
            return name != "authorization" && name != "x-amz-date"
                && !(credentials.sessionToken != nil && name == "x-amz-security-token")
                && !(isS3 && name == "x-amz-content-sha256")
        }
        out.append((name: "X-Amz-Date", value: timestamp))
        if let token = credentials.sessionToken {
            out.append((name: "X-Amz-Security-Token", value: token))
        }
        let payloadHash = payload.hash
        if isS3 {
            out.append((name: "X-Amz-Content-SHA256", value: payloadHash))
        }
        let (canonicalHeaders, signedHeaders) = canonicalize(headers: out, parts: parts)
        let canonicalRequest = [
            method.uppercased(), canonicalPath(parts.path), canonicalQuery(parts.query),
            canonicalHeaders + "\n", signedHeaders, payloadHash,
        ].joined(separator: "\n")
        let scope = scope(timestamp)
        let stringToSign = "AWS4-HMAC-SHA256\n\(timestamp)\n\(scope)\n\(SHA256.hexDigest(canonicalRequest))"
        let signature = Hex.encode(HMAC.sha256(key: signingKey(timestamp), message: stringToSign))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        out.append((name: "Authorization", value: authorization))
        return Signed(headers: out, authorization: authorization, canonicalRequest: canonicalRequest,
                      stringToSign: stringToSign)
    }

    /// A presigned URL (query-string authentication, `UNSIGNED-PAYLOAD`), as S3 uses
    /// for GET links.
    ///
    /// - Parameters:
    ///   - expires: validity in seconds, 1 to 604800 (7 days).
    ///   - headers: extra headers the user of the URL must send (usually none).
    public func presign(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [],
        expires: Int, date: Date
    ) throws -> String {
        guard (1...Self.maximumPresignExpiry).contains(expires) else {
            throw SigV4Error.invalidExpiry(expires)
        }
        let parts = try URLParts(url)
        let timestamp = AMZDate.timestamp(date)
        let (canonicalHeaders, signedHeaders) = canonicalize(headers: headers, parts: parts)

        // Existing parameters first (decoded, first value of each name kept), then the
        // authentication parameters, in the order botocore writes them.
        var seen = Set<String>()
        var parameters: [(String, String)] = []
        for pair in parts.query.split(separator: "&", omittingEmptySubsequences: true) {
            let (key, value) = Self.split(pair)
            let name = URIEncoding.decode(key, plusAsSpace: true)
            guard !seen.contains(name) else { continue }
            seen.insert(name)
            parameters.append((name, URIEncoding.decode(value, plusAsSpace: true)))
        }
        parameters.append(("X-Amz-Algorithm", "AWS4-HMAC-SHA256"))
        parameters.append(("X-Amz-Credential", "\(credentials.accessKeyId)/\(scope(timestamp))"))
        parameters.append(("X-Amz-Date", timestamp))
        parameters.append(("X-Amz-Expires", String(expires)))
        parameters.append(("X-Amz-SignedHeaders", signedHeaders))
        if let token = credentials.sessionToken {
            parameters.append(("X-Amz-Security-Token", token))
        }
        let query = parameters.map { "\(URIEncoding.encode($0.0))=\(URIEncoding.encode($0.1))" }
            .joined(separator: "&")
        let canonicalRequest = [
            method.uppercased(), canonicalPath(parts.path), canonicalQuery(query),
            canonicalHeaders + "\n", signedHeaders, Payload.unsigned.hash,
        ].joined(separator: "\n")
        let stringToSign = "AWS4-HMAC-SHA256\n\(timestamp)\n\(scope(timestamp))\n\(SHA256.hexDigest(canonicalRequest))"
        let signature = Hex.encode(HMAC.sha256(key: signingKey(timestamp), message: stringToSign))
        return "\(parts.prefix)\(parts.path)?\(query)&X-Amz-Signature=\(signature)"
    }

    // MARK: canonical forms

    private func scope(_ timestamp: String) -> String {
        "\(timestamp.prefix(8))/\(region)/\(service)/aws4_request"
    }

    /// The keys derived so far, by credentials, day, region and service: the same
    /// for every request of a day, so the four HMACs run once a day per service.
    private static let derivedKeys = Locked<[String: [UInt8]]>([:])

    private func signingKey(_ timestamp: String) -> [UInt8] {
        let day = String(timestamp.prefix(8))
        let name = [credentials.accessKeyId, credentials.secretAccessKey, day, region, service].joined(separator: "\n")
        if let known = Self.derivedKeys.withLock({ $0[name] }) { return known }
        let dateKey = HMAC.sha256(key: Array("AWS4\(credentials.secretAccessKey)".utf8), message: day)
        let regionKey = HMAC.sha256(key: dateKey, message: region)
        let serviceKey = HMAC.sha256(key: regionKey, message: service)
        let key = HMAC.sha256(key: serviceKey, message: "aws4_request")
        Self.derivedKeys.withLock { keys in
            // Credentials that rotate (a role's) would otherwise pile up.
            if keys.count >= 32 { keys.removeAll() }
            keys[name] = key
        }
        return key
    }

    /// S3 signs the path exactly as sent; every other service signs it with dot
    /// segments and repeated slashes removed and then percent-encoded a second time.
    func canonicalPath(_ path: String) -> String {
        if isS3 { return path.isEmpty ? "/" : path }
        guard !path.isEmpty else { return "/" }
        let normalized = Self.removeDotSegments(path)
        return normalized.isEmpty ? "/" : URIEncoding.encode(normalized, keepSlash: true)
    }

    static func removeDotSegments(_ path: String) -> String {
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                if !output.isEmpty { output.removeLast() }
                continue
            }
            output.append(segment)
        }
        let leading = path.hasPrefix("/") ? "/" : ""
        let trailing = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
        return leading + output.joined(separator: "/") + trailing
    }

    /// Pairs sorted by encoded name then value; each component is brought to its
    /// canonical encoding (a no-op for correctly encoded input), a bare name gets `=`.
    func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair in
            let (key, value) = Self.split(pair)
            return (URIEncoding.canonicalize(key), URIEncoding.canonicalize(value))
        }
        return pairs.sorted { $0.0 == $1.0 ? $0.1.utf8.lexicographicallyPrecedes($1.1.utf8)
                                            : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    private static func split(_ pair: Substring) -> (String, String) {
        guard let equals = pair.firstIndex(of: "=") else { return (String(pair), "") }
        return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
    }

    /// Lowercased names, whitespace runs in values collapsed, repeated names joined by
    /// commas in order, `host` added from the URL when absent.
    private func canonicalize(headers: [(name: String, value: String)], parts: URLParts) -> (String, String) {
        var entries: [(name: String, value: String)] = []
        entries.reserveCapacity(headers.count + 1)
        for header in headers {
            let name = Self.canonicalName(header.name)
            guard !Self.unsignedHeaders.contains(name) else { continue }
            entries.append((name, Self.collapsingWhitespace(header.value)))
        }
        if !entries.contains(where: { $0.name == "host" }) { entries.append(("host", parts.hostHeader)) }
        // Stable: the values of a repeated name keep their order.
        let sorted = entries.enumerated().sorted { left, right in
            left.element.name == right.element.name
                ? left.offset < right.offset
                : left.element.name.utf8.lexicographicallyPrecedes(right.element.name.utf8)
        }.map(\.element)
        var canonical = ""
        var signed = ""
        for (index, entry) in sorted.enumerated() {
            if index > 0, sorted[index - 1].name == entry.name {
                canonical += "," + entry.value
                continue
            }
            if index > 0 {
                canonical += "\n"
                signed += ";"
            }
            canonical += entry.name + ":" + entry.value
            signed += entry.name
        }
        return (canonical, signed)
    }

    /// A header name lowercased and trimmed of spaces and tabs.
    static func canonicalName(_ name: String) -> String {
        guard name.utf8.allSatisfy({ $0 < 0x80 }) else {
            return name.lowercased().trimmingCharacters(in: .whitespaces)
        }
        var bytes = Array(name.utf8)
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        let start = bytes.firstIndex { $0 != 0x20 && $0 != 0x09 } ?? bytes.endIndex
        return String(decoding: bytes[start...].lazy.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// A header value with leading and trailing whitespace removed and each run
    /// inside it made one space (botocore's `' '.join(value.split())`).
    static func collapsingWhitespace(_ value: String) -> String {
        guard value.utf8.allSatisfy({ $0 < 0x80 }) else {
            return value.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }
        // The ASCII whitespace: tab, line feed, vertical tab, form feed, carriage return, space.
        let isSpace = { (byte: UInt8) in byte == 0x20 || (0x09...0x0D).contains(byte) }
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count)
        var pendingSpace = false
        for byte in value.utf8 {
            if isSpace(byte) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(0x20)
                pendingSpace = false
            }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A request that cannot be signed.
public enum SigV4Error: Error, CustomStringConvertible {
    /// Presigned URLs are valid for 1 second to 7 days.
    case invalidExpiry(Int)

    public var description: String {
        switch self {
        case .invalidExpiry(let seconds):
            "presigned URL expiry must be 1...\(SigV4Signer.maximumPresignExpiry) seconds, got \(seconds)"
        }
    }
}
