/// A parsed XML element: enough of XML for S3's and STS-style responses.
///
/// S3 and the query protocols answer with small, namespace-light documents; a
/// tiny reader avoids loading libxml2 into every process.
struct XMLElement: Sendable, Equatable {
    var name: String
    var text: String
    var children: [XMLElement]

    /// The first direct child named `name`.
    func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }

    /// Every direct child named `name`.
    func children(_ name: String) -> [XMLElement] { children.filter { $0.name == name } }

    /// The text of the first direct child named `name`.
    func text(of name: String) -> String? { child(name)?.text }

    /// The first element named `name` at any depth, this one included.
    func first(named name: String) -> XMLElement? {
        if self.name == name { return self }
        for child in children {
            if let found = child.first(named: name) { return found }
        }
        return nil
    }
}

struct XMLParseError: Error, CustomStringConvertible {
    let reason: String
    var description: String { "invalid XML: \(reason)" }
}

extension XMLElement {
    /// Parses a document and returns its root element.
    static func parse<Bytes: Collection>(_ bytes: Bytes) throws(XMLParseError) -> XMLElement where Bytes.Element == UInt8 {
        var reader = XMLReader(bytes: Array(bytes))
        return try reader.document()
    }

    /// Escapes text for use in element content or attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}

private struct XMLReader {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    func starts(with prefix: String) -> Bool {
        let p = Array(prefix.utf8)
        guard index + p.count <= bytes.count else { return false }
        return bytes[index..<index + p.count].elementsEqual(p)
    }

    mutating func skip(past terminator: String) throws(XMLParseError) {
        let t = Array(terminator.utf8)
        while index + t.count <= bytes.count {
            if bytes[index..<index + t.count].elementsEqual(t) {
                index += t.count
                return
            }
            index += 1
        }
        throw XMLParseError(reason: "unterminated construct, expected \(terminator)")
    }

    mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[index]) { index += 1 }
    }

    /// Skips the prolog, comments and processing instructions before the root.
    mutating func document() throws(XMLParseError) -> XMLElement {
        while true {
            skipWhitespace()
            if starts(with: "<?") { try skip(past: "?>"); continue }
            if starts(with: "<!--") { try skip(past: "-->"); continue }
            if starts(with: "<!") { try skip(past: ">"); continue }
            break
        }
        guard starts(with: "<") else { throw XMLParseError(reason: "no root element") }
        return try element(depth: 0)
    }

    mutating func name() -> String {
        let start = index
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x20 || b == 0x09 || b == 0x0a || b == 0x0d || b == UInt8(ascii: ">") || b == UInt8(ascii: "/") { break }
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    mutating func element(depth: Int) throws(XMLParseError) -> XMLElement {
        guard depth < 256 else { throw XMLParseError(reason: "nesting too deep") }
        index += 1 // '<'
        let tag = name()
        guard !tag.isEmpty else { throw XMLParseError(reason: "empty tag name") }
        // Attributes (S3 uses only xmlns) are skipped; quoted values may hold '>'.
        var quote: UInt8? = nil
        while index < bytes.count {
            let b = bytes[index]
            if let q = quote {
                if b == q { quote = nil }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                quote = b
            } else if b == UInt8(ascii: ">") {
                break
            }
            index += 1
        }
        guard index < bytes.count else { throw XMLParseError(reason: "unterminated tag <\(tag)") }
        let selfClosing = bytes[index - 1] == UInt8(ascii: "/")
        index += 1
        var result = XMLElement(name: localName(tag), text: "", children: [])
        if selfClosing { return result }
        var text: [UInt8] = []
        while index < bytes.count {
            if starts(with: "</") {
                index += 2
                let closing = name()
                guard closing == tag else { throw XMLParseError(reason: "</\(closing)> closes <\(tag)>") }
                try skip(past: ">")
                result.text = try decodeEntities(text)
                return result
            }
            if starts(with: "<!--") { try skip(past: "-->"); continue }
            if starts(with: "<![CDATA[") {
                index += 9
                let start = index
                try skip(past: "]]>")
                text.append(contentsOf: bytes[start..<index - 3])
                continue
            }
            if starts(with: "<?") { try skip(past: "?>"); continue }
            if bytes[index] == UInt8(ascii: "<") {
                result.children.append(try element(depth: depth + 1))
                continue
            }
            text.append(bytes[index])
            index += 1
        }
        throw XMLParseError(reason: "unterminated element <\(tag)>")
    }

    func localName(_ tag: String) -> String {
        if let colon = tag.lastIndex(of: ":") { return String(tag[tag.index(after: colon)...]) }
        return tag
    }

    func decodeEntities(_ raw: [UInt8]) throws(XMLParseError) -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            guard raw[i] == UInt8(ascii: "&") else { out.append(raw[i]); i += 1; continue }
            guard let end = raw[i...].firstIndex(of: UInt8(ascii: ";")) else {
                throw XMLParseError(reason: "unterminated entity")
            }
            let entity = String(decoding: raw[(i + 1)..<end], as: UTF8.self)
            switch entity {
            case "amp": out.append(UInt8(ascii: "&"))
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            default:
                let scalarValue: UInt32?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalarValue = UInt32(entity.dropFirst(2), radix: 16)
                } else if entity.hasPrefix("#") {
                    scalarValue = UInt32(entity.dropFirst())
                } else {
                    scalarValue = nil
                }
                guard let value = scalarValue, let scalar = Unicode.Scalar(value) else {
                    throw XMLParseError(reason: "unknown entity &\(entity);")
                }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
            i = end + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
