/// Parses the `.env` format the original systems used (and python-dotenv reads):
/// `KEY=value` lines, `#` comments, an optional `export ` prefix, single-quoted
/// values taken literally, double-quoted values with `\n`, `\t`, `\"` and `\\`
/// escapes, and unquoted values ending at a ` #` comment.
public enum DotEnv {
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let line: Int
        public let reason: String
        public var description: String { ".env line \(line): \(reason)" }
    }

    public static func parse(_ text: String) throws -> [String: String] {
        var values: [String: String] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine)
            line = line.drop(while: { $0 == " " || $0 == "\t" })
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst(7).drop(while: { $0 == " " }) }
            guard let equals = line.firstIndex(of: "=") else {
                throw ParseError(line: index + 1, reason: "expected KEY=value")
            }
            let key = line[..<equals].trimmingTrailingSpaces()
            guard isValidName(key) else {
                throw ParseError(line: index + 1, reason: "'\(key)' is not a valid variable name")
            }
            let rest = line[line.index(after: equals)...].drop(while: { $0 == " " || $0 == "\t" })
            values[String(key)] = try value(of: rest, line: index + 1)
        }
        return values
    }

    private static func value(of text: Substring, line: Int) throws -> String {
        guard let quote = text.first, quote == "\"" || quote == "'" else {
            // Unquoted: a comment starts at " #"; trailing spaces are not part of the value.
            var end = text.endIndex
            var previous: Character = " "
            for index in text.indices {
                if text[index] == "#" && (previous == " " || previous == "\t") { end = index; break }
                previous = text[index]
            }
            return String(text[..<end].trimmingTrailingSpaces())
        }
        var result = ""
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if character == quote {
                let after = text[text.index(after: index)...].drop(while: { $0 == " " || $0 == "\t" })
                guard after.isEmpty || after.hasPrefix("#") else {
                    throw ParseError(line: line, reason: "unexpected text after the closing quote")
                }
                return result
            }
            if quote == "\"" && character == "\\" {
                let next = text.index(after: index)
                guard next < text.endIndex else { break }
                switch text[next] {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "r": result.append("\r")
                default: result.append(text[next])
                }
                index = text.index(after: next)
                continue
            }
            result.append(character)
            index = text.index(after: index)
        }
        throw ParseError(line: line, reason: "missing closing \(quote)")
    }

    static func isValidName(_ name: Substring) -> Bool {
        guard let first = name.first, first == "_" || first.isASCII && first.isLetter else { return false }
        return name.allSatisfy { $0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}

extension Substring {
    fileprivate func trimmingTrailingSpaces() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " || self[index(before: end)] == "\t" {
            end = index(before: end)
        }
        return self[startIndex..<end]
    }
}
