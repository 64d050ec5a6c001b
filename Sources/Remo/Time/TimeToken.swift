import Foundation

/// One whitespace-separated word of a message: as written, and normalized for
/// matching (lowercased, surrounding punctuation dropped, `a.m.` → `am`).
struct TimeToken: Equatable {
    let original: Substring
    let word: String

    static func tokenize(_ text: String) -> [TimeToken] {
        text.split(whereSeparator: { $0.isWhitespace }).map { TimeToken(original: $0, word: normalize($0)) }
    }

    private static func normalize(_ raw: Substring) -> String {
        var word = raw.lowercased()
            .replacingOccurrences(of: "a.m.", with: "am")
            .replacingOccurrences(of: "p.m.", with: "pm")
            .replacingOccurrences(of: "’", with: "'")
        let edges: Set<Character> = [",", ";", ":", "!", "?", "\"", "“", "”", "(", ")", "[", "]", "."]
        while let first = word.first, edges.contains(first) || first == "'" { word.removeFirst() }
        while let last = word.last, edges.contains(last) { word.removeLast() }
        if word.hasSuffix("a.m") { word = String(word.dropLast(3)) + "am" }
        if word.hasSuffix("p.m") { word = String(word.dropLast(3)) + "pm" }
        return word
    }
}
