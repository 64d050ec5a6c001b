import CryptoCore

/// `X-Voice-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`: the MAC is over
/// `"<t>.<body>"` with the agent's `webhook_secret`, so a receiver checks both
/// that we sent the body and that it is fresh (it refuses an old `t`).
public enum WebhookSignature {
    public static let header = "X-Voice-Signature"

    public static func value(secret: String, timestamp: Int, body: [UInt8]) -> String {
        let signed = Array("\(timestamp).".utf8) + body
        return "t=\(timestamp),v1=" + Hex.encode(HMAC.sha256(key: Array(secret.utf8), message: signed))
    }
}
