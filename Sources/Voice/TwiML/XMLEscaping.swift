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
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t": result += "&#9;"
            case "\n": result += "&#10;"
            case "\r": result += "&#13;"
            default:
                let value = scalar.value
                if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0xFFFE || value == 0xFFFF {
                    continue
                }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
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
