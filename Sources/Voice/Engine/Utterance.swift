/// A caller's words reduced to what intent matching needs: lowercased words
/// without punctuation, with contractions closed up ("that's" → "thats",
/// "don't" → "dont") so a lexicon needs one spelling of each.
struct Utterance {
    let text: String
    let words: [String]

    init(_ text: String) {
        self.text = text
        var words: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character == "'" || character == "’" || character == "‘" || character == "`" {
                continue
            }
            // Letters, combining marks (Devanagari vowel signs ride on their
            // consonant's Character) and digits make words; anything else splits.
            if character.isLetter || character.isNumber || character.unicodeScalars.allSatisfy({ $0.properties.generalCategory.isMark }) {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        self.words = words
    }
}

extension Unicode.GeneralCategory {
    var isMark: Bool {
        self == .nonspacingMark || self == .spacingMark || self == .enclosingMark
    }
}

/// A set of word sequences an utterance can be made of.
///
/// An intent is recognised only when the *whole* utterance is covered by its
/// phrases and fillers and at least one of its key phrases occurs. That is what
/// keeps "thanks, my email is …", "I'm not done yet" or "bye the way" from
/// counting as goodbye: their leftover words are not part of any phrase.
struct Lexicon {
    let keyPhrases: [[String]]
    let fillers: [[String]]

    init(key: [String], fillers: [String] = []) {
        keyPhrases = key.map { $0.split(separator: " ").map(String.init) }
        self.fillers = fillers.map { $0.split(separator: " ").map(String.init) }
    }

    /// Whether the words consist only of this lexicon's phrases, including at least one key phrase.
    func matches(_ words: [String]) -> Bool {
        guard !words.isEmpty else { return false }
        // best[i]: whether words[i...] can be covered, and whether a key phrase is used.
        var coverable = [Bool](repeating: false, count: words.count + 1)
        var withKey = [Bool](repeating: false, count: words.count + 1)
        coverable[words.count] = true
        for start in stride(from: words.count - 1, through: 0, by: -1) {
            for (phrases, isKey) in [(keyPhrases, true), (fillers, false)] {
                for phrase in phrases where start + phrase.count <= words.count {
                    let end = start + phrase.count
                    guard coverable[end], words[start..<end].elementsEqual(phrase) else { continue }
                    coverable[start] = true
                    if isKey || withKey[end] { withKey[start] = true }
                }
            }
        }
        return coverable[0] && withKey[0]
    }

    /// Whether any key phrase occurs anywhere in the words.
    func containsKey(_ words: [String]) -> Bool {
        keyPhrases.contains { phrase in
            guard phrase.count <= words.count else { return false }
            return (0...(words.count - phrase.count)).contains { words[$0..<$0 + phrase.count].elementsEqual(phrase) }
        }
    }
}
