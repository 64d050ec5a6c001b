import Common
import CryptoCore
import Foundation

/// Opaque, tamper-proof continuation tokens for paged listings: the DynamoDB key
/// to start after, as base64url JSON, with an HMAC so a changed cursor is a 400
/// rather than a query against keys a client made up.
struct PageCursor: Sendable {
    private let key: [UInt8]

    /// `secret` is the operator's API key: only its holders get or use cursors.
    init(secret: String) {
        key = HMAC.sha256(key: Array("page-cursor".utf8), message: secret)
    }

    func encode(_ start: [String: String]) -> String {
        let payload = (try? JSONEncoder().encode(start)).map(Array.init) ?? []
        return Base64.encodeURL(payload) + "." + Base64.encodeURL(mac(payload))
    }

    func decode(_ text: String) throws -> [String: String] {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Base64.decodeURL(String(parts[0])),
              let given = Base64.decodeURL(String(parts[1])), ConstantTime.equals(given, mac(payload)),
              let start = try? JSONDecoder().decode([String: String].self, from: Data(payload))
        else { throw HTTPError.badRequest("cursor is not one this API gave out; start again without it") }
        return start
    }

    private func mac(_ payload: [UInt8]) -> [UInt8] {
        Array(HMAC.sha256(key: key, message: payload).prefix(16))
    }
}
