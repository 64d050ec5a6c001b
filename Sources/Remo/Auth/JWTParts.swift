import Foundation

/// The JOSE header fields this verifier looks at.
struct JOSEHeader: Decodable {
    let alg: String?
    let typ: String?
    let crit: [String]?
}

/// The registered claims of a Privy token, as they appear on the wire.
struct RawClaims: Decodable {
    let iss: String?
    let sub: String?
    let sid: String?
    let aud: Audience?
    let exp: Double?
    let iat: Double?
    let nbf: Double?

    /// `aud` is a string or an array of strings (RFC 7519 §4.1.3).
    struct Audience: Decodable {
        let values: [String]

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let one = try? container.decode(String.self) {
                values = [one]
            } else {
                values = try container.decode([String].self)
            }
        }
    }
}

/// A compact JWS split into its parts, nothing verified yet.
struct JWTParts {
    let header: JOSEHeader
    let signingInput: [UInt8]
    let payload: [UInt8]
    let signature: [UInt8]

    /// Tokens beyond this are refused unread: Privy's are well under 2 KB.
    static let maximumLength = 8 * 1024

    init(_ token: String) throws(PrivyTokenError) {
        guard token.utf8.count <= Self.maximumLength else { throw .malformed("token too long") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("expected three dot-separated parts") }
        guard let headerBytes = Base64URLStrict.decode(parts[0]) else { throw .malformed("header is not base64url") }
        guard let payload = Base64URLStrict.decode(parts[1]) else { throw .malformed("payload is not base64url") }
        guard let signature = Base64URLStrict.decode(parts[2]) else { throw .malformed("signature is not base64url") }
        guard let header = try? JSONDecoder().decode(JOSEHeader.self, from: Data(headerBytes)) else {
            throw .malformed("header is not a JSON object")
        }
        self.header = header
        self.payload = payload
        self.signature = signature
        signingInput = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
    }
}
