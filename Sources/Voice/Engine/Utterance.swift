/// A caller's words reduced to what intent matching needs: lowercased words
/// without punctuation, with contractions closed up ("that's" → "thats",
/// "don't" → "dont") so a lexicon needs one spelling of each.
struct Utterance {
    let words: [String]

    init(_ text: String) {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            words = Self.asciiWords(text)
            return
        }
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

    /// The same for ASCII text, byte by byte: most turns, without the cost of
    /// breaking the text into Characters.
    private static func asciiWords(_ text: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): current.append(byte + 32)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): current.append(byte)
            case UInt8(ascii: "'"), UInt8(ascii: "`"): continue
            default:
                if !current.isEmpty {
                    words.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                }
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
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
    private struct Phrase {
        let words: [String]
        let isKey: Bool
    }

    // Phrases grouped by their first word, so that matching looks only at the
    // few phrases that can start at each position (this runs on every turn).
    private let phrasesByFirstWord: [String: [Phrase]]

    init(key: [String], fillers: [String] = []) {
        var index: [String: [Phrase]] = [:]
        for (phrases, isKey) in [(key, true), (fillers, false)] {
            for phrase in phrases {
                let words = phrase.split(separator: " ").map(String.init)
                guard let first = words.first else { continue }
                index[first, default: []].append(Phrase(words: words, isKey: isKey))
            }
        }
        phrasesByFirstWord = index
    }

    /// Whether the words consist only of this lexicon's phrases, including at least one key phrase.
    func matches(_ words: [String]) -> Bool {
        // Most utterances are not of this lexicon: unless a phrase can start at
        // the first word, no split covers them.
        guard let first = words.first, phrasesByFirstWord[first] != nil else { return false }
        // coverable[i]: words[i...] splits into phrases; withKey[i]: one such split uses a key phrase.
        var coverable = [Bool](repeating: false, count: words.count + 1)
        var withKey = [Bool](repeating: false, count: words.count + 1)
        coverable[words.count] = true
        for start in stride(from: words.count - 1, through: 0, by: -1) {
            guard let candidates = phrasesByFirstWord[words[start]] else { continue }
            for phrase in candidates where start + phrase.words.count <= words.count {
                let end = start + phrase.words.count
                guard coverable[end], words[start..<end].elementsEqual(phrase.words) else { continue }
                coverable[start] = true
                if phrase.isKey || withKey[end] { withKey[start] = true }
            }
        }
        return coverable[0] && withKey[0]
    }
}
