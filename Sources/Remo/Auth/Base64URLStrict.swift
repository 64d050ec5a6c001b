import CryptoCore

/// The strict base64url JWTs require (RFC 7515 §2): URL alphabet, no padding, and
/// no stray bits in the last character, so every token has exactly one spelling.
enum Base64URLStrict {
    static func decode(_ text: Substring) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard !utf8.isEmpty else { return nil }
        for c in utf8 {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                continue
            default:
                return nil
            }
        }
        guard let bytes = Base64.decodeURL(String(text)) else { return nil }
        // Re-encoding must give back the input; otherwise the last character carried
        // bits beyond the data (a second spelling of the same bytes).
        guard Base64.encodeURL(bytes) == String(text) else { return nil }
        return bytes
    }
}
