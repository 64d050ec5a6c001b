/// Escaping for the XML we write, so that any agent text or caller input
/// yields a well-formed document.
public enum XMLEscaping {
    /// Text content or attribute value (the same escaping serves both): the five
    /// XML metacharacters become entities, and characters XML 1.0 cannot carry
    /// (C0 controls other than tab, newline and carriage return, C1 controls,
    /// DEL, U+FFFE, U+FFFF) are dropped. Tab, newline and carriage return become
    /// character references so an attribute keeps them instead of having the
    /// parser fold them into spaces.
    public static func escape(_ text: String) -> String {
        if text.utf8.allSatisfy(isPlainASCII) { return text }
        var out: [UInt8] = []
        append(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `text` escaped as `escape` does, as UTF-8.
    public static func append(_ text: String, to out: inout [UInt8]) {
        if text.utf8.allSatisfy(isPlainASCII) {
            out += text.utf8
            return
        }
        let bytes = Array(text.utf8)
        out.reserveCapacity(out.count + bytes.count + 16)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "&"): out += "&amp;".utf8
            case UInt8(ascii: "<"): out += "&lt;".utf8
            case UInt8(ascii: ">"): out += "&gt;".utf8
            case UInt8(ascii: "\""): out += "&quot;".utf8
            case UInt8(ascii: "'"): out += "&apos;".utf8
            case UInt8(ascii: "\t"): out += "&#9;".utf8
            case UInt8(ascii: "\n"): out += "&#10;".utf8
            case UInt8(ascii: "\r"): out += "&#13;".utf8
            case 0x00..<0x20, 0x7F: break
            // U+0080...U+009F, the C1 controls: C2 80...C2 9F in UTF-8.
            case 0xC2 where index + 1 < bytes.count && (0x80...0x9F).contains(bytes[index + 1]):
                index += 1
            // U+FFFE and U+FFFF: EF BF BE and EF BF BF.
            case 0xEF where index + 2 < bytes.count && bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE:
                index += 2
            default: out.append(byte)
            }
            index += 1
        }
    }

    /// Printable ASCII that needs no escaping: most of what an agent says.
    private static func isPlainASCII(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): false
        case 0x20...0x7E: true
        default: false
        }
    }
}
