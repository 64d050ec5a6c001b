import Foundation

/// Small text operations the rules share. Matching is case-insensitive; what is
/// kept (titles, names) keeps the user's spelling.
enum MessageText {
    /// Trimmed, inner whitespace collapsed, closing punctuation ("?", "!", ".") dropped.
    static func tidy(_ text: String) -> String {
        var words = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        while let last = words.last, "?!.".contains(last) { words.removeLast() }
        return words.trimmingCharacters(in: .whitespaces)
    }

    /// `text` without a leading phrase from `phrases` (whole words, any case),
    /// repeatedly; separators after a removed phrase go too.
    static func droppingLeading(_ phrases: [String], from text: String) -> String {
        var current = text
        var changed = true
        while changed {
            changed = false
            for phrase in phrases {
                if let rest = remainder(of: current, after: phrase) {
                    current = rest
                    changed = true
                }
            }
        }
        return current
    }

    /// `text` without a trailing phrase from `phrases` (whole words, any case), repeatedly.
    static func droppingTrailing(_ phrases: [String], from text: String) -> String {
        var current = text
        var changed = true
        while changed {
            changed = false
            for phrase in phrases {
                let lower = current.lowercased()
                if lower == phrase {
                    return ""
                }
                if lower.hasSuffix(" " + phrase) {
                    current = String(current.dropLast(phrase.count)).trimmingCharacters(in: separators)
                    changed = true
                }
            }
        }
        return current
    }

    /// What follows `phrase` at the start of `text` (whole words, any case), or nil.
    static func remainder(of text: String, after phrase: String) -> String? {
        let lower = text.lowercased()
        guard lower.hasPrefix(phrase) else { return nil }
        let rest = text.dropFirst(phrase.count)
        if let next = rest.first, next.isLetter || next.isNumber, phrase.last?.isLetter ?? false { return nil }
        return rest.trimmingCharacters(in: separators)
    }

    /// Whether `text` holds `word` as a whole word (any case).
    static func containsWord(_ word: String, in text: String) -> Bool {
        words(text).contains(word)
    }

    /// Lowercased words with surrounding punctuation removed.
    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { $0.isWhitespace })
            .map { $0.trimmingCharacters(in: .punctuationCharacters.subtracting(CharacterSet(charactersIn: "-'#"))) }
            .filter { !$0.isEmpty }
    }

    /// A title or value as it should be stored: separators, quotes and closing
    /// punctuation trimmed from both ends.
    static func cleanValue(_ text: String) -> String {
        var value = text.trimmingCharacters(in: separators)
        let quotes: Set<Character> = ["\"", "'", "“", "”", "‘", "’", "`"]
        while let first = value.first, quotes.contains(first) { value.removeFirst() }
        while let last = value.last, quotes.contains(last) || ".!?,;:".contains(last) { value.removeLast() }
        return value.trimmingCharacters(in: separators)
    }

    static let separators = CharacterSet.whitespaces.union(CharacterSet(charactersIn: ",:;-–—"))

    /// Leading politeness that carries no meaning for the rules.
    static let politePrefixes = [
        "hey remo", "hi remo", "hello remo", "remo", "please", "pls", "can you", "could you", "would you",
        "will you", "can u", "ok", "okay", "and", "also", "now", "hey", "i want you to", "i'd like you to",
        "i would like you to", "kindly",
    ]
}
