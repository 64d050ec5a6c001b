/// Word-level helpers shared by the extractors: splitting speech into tokens
/// and reading spoken digits (English and Hindi).
enum SpokenWords {
    /// Splits on whitespace and commas, lowercases, and trims sentence punctuation
    /// from both ends of each token, keeping what sits inside one
    /// (`john.smith@example.com`, `o'brien`, `555-0100`).
    static func tokens(_ text: String, lowercased: Bool = true) -> [String] {
        let source = lowercased ? text.lowercased() : text
        return source
            .split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == ";" || $0 == "।" })
            .map { trimmed(Substring($0), edgePunctuation) }
            .filter { !$0.isEmpty }
    }

    /// Drops the given characters from both ends.
    static func trimmed(_ text: Substring, _ characters: Set<Character>) -> String {
        var slice = text
        while let first = slice.first, characters.contains(first) { slice.removeFirst() }
        while let last = slice.last, characters.contains(last) { slice.removeLast() }
        return String(slice)
    }

    private static let edgePunctuation: Set<Character> = [".", "!", "?", ":", "\"", "'", "’", "‘", "“", "”", "(", ")", "…"]

    /// The digit a spoken word stands for ("five" → "5", "पाँच" → "5", "7" → "7").
    static func digit(_ word: String) -> Character? {
        if word.count == 1, let character = word.first {
            if character.isASCII, character.isNumber { return character }
            if let value = devanagariDigits[character] { return value }
        }
        return digitWords[word]
    }

    /// Maps Devanagari digits to ASCII ones, leaving everything else as it is.
    static func asciiDigits(_ text: String) -> String {
        String(text.map { devanagariDigits[$0] ?? $0 })
    }

    private static let devanagariDigits: [Character: Character] = [
        "०": "0", "१": "1", "२": "2", "३": "3", "४": "4", "५": "5", "६": "6", "७": "7", "८": "8", "९": "9",
    ]

    private static let digitWords: [String: Character] = [
        "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
        "eight": "8", "nine": "9",
        "शून्य": "0", "ज़ीरो": "0", "जीरो": "0", "एक": "1", "दो": "2", "तीन": "3", "चार": "4", "पांच": "5",
        "पाँच": "5", "छह": "6", "छः": "6", "छे": "6", "सात": "7", "आठ": "8", "नौ": "9",
    ]

    /// Words that repeat the digit after them ("double five" → "55").
    static func repetition(_ word: String) -> Int? {
        switch word {
        case "double", "डबल": 2
        case "triple", "ट्रिपल": 3
        default: nil
        }
    }

    /// Leading words a caller puts before an answer without meaning anything by them.
    static let leadingFillers: Set<String> = [
        "um", "umm", "uh", "uhh", "er", "erm", "hmm", "oh", "ok", "okay", "yes", "yeah", "yep", "sure", "well",
        "so", "hi", "hello", "hey", "no", "actually", "sorry", "right", "alright", "and", "oops",
        "जी", "हाँ", "हां", "नमस्ते", "अच्छा", "ठीक", "है",
    ]
}
