import CryptoCore

/// `%XX` escapes over bytes, for paths, query strings and form bodies.
public enum PercentDecoding {
    /// The decoded text, or nil when an escape is broken or the result is not
    /// UTF-8. In form encoding (`plusIsSpace`) a `+` stands for a space.
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes, plusIsSpace: Bool) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                let first = bytes.index(after: index)
                guard first != bytes.endIndex else { return nil }
                let second = bytes.index(after: first)
                guard second != bytes.endIndex,
                      let high = Hex.digitValue(bytes[first]), let low = Hex.digitValue(bytes[second])
                else { return nil }
                out.append(high << 4 | low)
                index = bytes.index(after: second)
                continue
            }
            out.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index = bytes.index(after: index)
        }
        return String(validating: out, as: UTF8.self)
    }

    /// `text` decoded, or `text` itself when it has no escape (no copy is made).
    /// nil when an escape is broken or the result is not UTF-8.
    public static func decodePath(_ text: String) -> String? {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        return decode(text.utf8, plusIsSpace: false)
    }
}
