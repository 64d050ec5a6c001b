import CryptoCore
import Foundation

/// Twilio's webhook signature (`X-Twilio-Signature`).
///
/// Twilio computes HMAC-SHA1, keyed with the account's auth token, over the URL
/// it requested (scheme, host, path and the raw query, exactly as sent) followed
/// by each POST parameter's name and value, sorted by name, and sends it base64
/// encoded. For requests with a JSON body the URL carries `bodySHA256` (the hex
/// SHA-256 of the body) and no parameters are appended.
///
/// Behind nginx the URL must be rebuilt from `PUBLIC_URL` + path + raw query;
/// never re-encode the query, or the bytes signed and checked differ.
public enum TwilioSignature {
    /// The MAC Twilio signs with: HMAC-SHA1 with the auth token, unless the
    /// request's `X-Twilio-Webhooks-Signature-Settings` names another (Twilio's
    /// shared-key webhooks may use HMAC-SHA256 with the shared key as secret).
    public enum Algorithm: Sendable {
        case hmacSHA1
        case hmacSHA256

        /// Reads `X-Twilio-Webhooks-Signature-Settings` (`key=…,algorithm=HMAC_SHA256`):
        /// a missing header or one without `algorithm=` means HMAC-SHA1; an
        /// algorithm this code does not know gives nil, and the request must be refused.
        public init?(settingsHeader: String?) {
            var named: String?
            for part in (settingsHeader ?? "").split(separator: ",") {
                let pair = part.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces) == "algorithm" {
                    let value = pair[1].trimmingCharacters(in: .whitespaces)
                    if !value.isEmpty { named = value.uppercased() }
                }
            }
            switch named {
            case nil, "HMAC_SHA1": self = .hmacSHA1
            case "HMAC_SHA256": self = .hmacSHA256
            default: return nil
            }
        }
    }

    /// The signature Twilio would send for this URL and these parameters.
    ///
    /// Parameters are sorted by name, byte by byte (case-sensitive, as Twilio
    /// does); a name given several times contributes each of its values, sorted.
    public static func compute(
        authToken: String, url: String, parameters: [(name: String, value: String)], algorithm: Algorithm = .hmacSHA1
    ) -> String {
        signature(authToken: authToken, url: url, signedParameters: signedBytes(parameters), algorithm: algorithm)
    }

    /// The parameters as they follow the URL in what is signed: sorted, each name then its value.
    private static func signedBytes(_ parameters: [(name: String, value: String)]) -> [UInt8] {
        bytes(ofSorted: sorted(parameters))
    }

    private static func bytes(ofSorted parameters: [(name: String, value: String)]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(parameters.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count })
        for (name, value) in parameters {
            bytes.append(contentsOf: name.utf8)
            bytes.append(contentsOf: value.utf8)
        }
        return bytes
    }

    private static func signature(authToken: String, url: String, signedParameters: [UInt8],
                                  algorithm: Algorithm) -> String {
        let message = Array(url.utf8) + signedParameters
        let key = Array(authToken.utf8)
        switch algorithm {
        case .hmacSHA1: return Base64.encode(HMAC.sha1(key: key, message: message))
        case .hmacSHA256: return Base64.encode(HMAC.sha256(key: key, message: message))
        }
    }

    /// Whether the signature of a form-encoded webhook is right.
    ///
    /// Like Twilio's SDKs, this also accepts the URL with the port removed, or
    /// with the scheme's default port (`:443`, `:80`) added when it had none,
    /// since proxies and load balancers differ on that; and, when a name repeats,
    /// the values deduplicated (as Twilio's Python SDK signs them). Comparison is
    /// in constant time. A missing or empty signature, or an empty auth token, fails.
    public static func isValid(
        signature: String?, authToken: String, url: String, parameters: [(name: String, value: String)],
        algorithm: Algorithm = .hmacSHA1
    ) -> Bool {
        isValid(signature: signature, authToken: authToken, candidateURLs: urlVariants(url), parameters: parameters,
                algorithm: algorithm)
    }

    /// `isValid(signature:authToken:url:parameters:algorithm:)` with the URL's
    /// variants worked out beforehand (see `urlVariants`).
    public static func isValid(
        signature: String?, authToken: String, candidateURLs: [String], parameters: [(name: String, value: String)],
        algorithm: Algorithm = .hmacSHA1
    ) -> Bool {
        guard let signature, !signature.isEmpty, !authToken.isEmpty else { return false }
        // Sorted by name then value, a repeated pair sits next to its twin.
        let ordered = sorted(parameters)
        var parameterSets = [bytes(ofSorted: ordered)]
        let unique = ordered.enumerated().filter { index, pair in
            index == 0 || ordered[index - 1].name != pair.name || ordered[index - 1].value != pair.value
        }.map(\.element)
        if unique.count != ordered.count { parameterSets.append(bytes(ofSorted: unique)) }
        var valid = false
        // Every candidate is checked, so the time taken does not tell which one matched.
        for candidate in candidateURLs {
            for set in parameterSets {
                let expected = self.signature(authToken: authToken, url: candidate, signedParameters: set,
                                              algorithm: algorithm)
                if ConstantTime.equals(expected, signature) { valid = true }
            }
        }
        return valid
    }

    /// Whether the signature of a webhook with a JSON body is right: the URL's
    /// `bodySHA256` must equal the body's SHA-256, and the signature must cover
    /// the URL (with no parameters appended).
    public static func isValid(
        signature: String?, authToken: String, url: String, jsonBody: [UInt8], algorithm: Algorithm = .hmacSHA1
    ) -> Bool {
        guard let declared = queryValue(named: "bodySHA256", in: url) else { return false }
        let bodyMatches = ConstantTime.equals(SHA256.hexDigest(jsonBody), declared.lowercased())
        let signatureMatches = isValid(
            signature: signature, authToken: authToken, url: url, parameters: [], algorithm: algorithm)
        return bodyMatches && signatureMatches
    }

    // MARK: - Pieces

    private static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    private static func sorted(_ parameters: [(name: String, value: String)]) -> [(name: String, value: String)] {
        parameters.sorted { lhs, rhs in
            lhs.name == rhs.name ? precedes(lhs.value, rhs.value) : precedes(lhs.name, rhs.name)
        }
    }

    /// The URL as given, without its port, and with the default port added if it had none.
    /// The variants of a URL with a path or query appended are the variants of
    /// the URL, each with the same suffix.
    public static func urlVariants(_ url: String) -> [String] {
        guard let schemeEnd = url.range(of: "://") else { return [url] }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        let authorityStart = schemeEnd.upperBound
        let authorityEnd = url[authorityStart...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        let authority = url[authorityStart..<authorityEnd]
        let rest = url[authorityEnd...]
        let prefix = url[..<authorityStart]
        // The host begins after any user info; an IPv6 literal keeps its colons inside brackets.
        let hostStart = authority.lastIndex(of: "@").map { authority.index(after: $0) } ?? authority.startIndex
        let hostPart = authority[hostStart...]
        let portColon: String.Index?
        if let bracket = hostPart.lastIndex(of: "]") {
            portColon = hostPart[bracket...].firstIndex(of: ":")
        } else {
            portColon = hostPart.lastIndex(of: ":")
        }
        var variants = [url]
        if let colon = portColon {
            variants.append(String(prefix) + String(authority[..<colon]) + String(rest))
        } else if let port = ["https": "443", "http": "80"][scheme] {
            variants.append(String(prefix) + String(authority) + ":" + port + String(rest))
        }
        return variants
    }

    /// A query parameter's raw, undecoded value (a hex digest needs no decoding).
    static func queryValue(named name: String, in url: String) -> String? {
        guard let questionMark = url.firstIndex(of: "?") else { return nil }
        let query = url[url.index(after: questionMark)...].prefix { $0 != "#" }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.first.map(String.init) == name { return parts.count > 1 ? String(parts[1]) : "" }
        }
        return nil
    }
}
