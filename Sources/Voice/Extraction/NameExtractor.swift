/// Hears a person's name: "my name is John Smith", "it's Priya", "this is
/// John speaking", "John Smith", "मेरा नाम प्रिया शर्मा है".
public enum NameExtractor {
    /// The name with each part capitalised, or nil when the words do not sound
    /// like one ("I'm not sure", "why do you need that").
    public static func extract(from text: String) -> String? {
        var tokens = SpokenWords.tokens(text, lowercased: false)
        dropLeadingFillers(&tokens)
        if let introduced = afterIntroduction(tokens, phrases: introductions) {
            return name(from: introduced)
        }
        // A bare answer must look like nothing but a name.
        guard (1...4).contains(tokens.count), !tokens.contains(where: { stopWords.contains(normalized($0)) }) else { return nil }
        return name(from: tokens)
    }

    /// The name when the caller explicitly introduces themselves ("my name is
    /// …", "call me …", "मेरा नाम … है"), even while another question is open;
    /// nil otherwise. Unlike `extract`, "it's …" or "I'm …" do not count here,
    /// since they begin many sentences that are not introductions.
    public static func explicitIntroduction(in text: String) -> String? {
        var tokens = SpokenWords.tokens(text, lowercased: false)
        dropLeadingFillers(&tokens)
        guard let introduced = afterIntroduction(tokens, phrases: explicitIntroductions) else { return nil }
        return name(from: introduced)
    }

    private static let explicitIntroductions: [[String]] = [
        "my name is", "my names", "my full name is", "the name is", "the names", "name is", "you can call me",
        "call me", "मेरा नाम", "mera naam",
    ].map(words)

    private static let introductions: [[String]] = explicitIntroductions + [
        "its", "it is", "this is", "i am", "im", "i m", "people call me", "they call me", "मैं", "में", "main",
    ].map(words)

    private static func words(_ phrase: String) -> [String] {
        phrase.split(separator: " ").map(String.init)
    }

    private static func normalized(_ token: String) -> String {
        token.lowercased().filter { $0 != "'" && $0 != "’" }
    }

    private static func dropLeadingFillers(_ tokens: inout [String]) {
        while let first = tokens.first.map(normalized) {
            if SpokenWords.leadingFillers.contains(first) || thanks.contains(first) {
                tokens.removeFirst()
            } else if first == "thank", tokens.count > 1, normalized(tokens[1]) == "you" {
                tokens.removeFirst(2)
            } else {
                return
            }
        }
    }

    private static let thanks: Set<String> = ["thanks", "धन्यवाद", "शुक्रिया"]

    private static func afterIntroduction(_ tokens: [String], phrases: [[String]]) -> [String]? {
        let lowered = tokens.map(normalized)
        // Longest phrase first, so "my name is" wins over "name is".
        for phrase in phrases.sorted(by: { $0.count > $1.count }) where lowered.starts(with: phrase) {
            return Array(tokens.dropFirst(phrase.count))
        }
        return nil
    }

    /// Words that end a name ("John Smith and my email is …", "John here").
    private static let terminators: Set<String> = [
        "and", "from", "calling", "speaking", "here", "by", "my", "i", "im", "thanks", "thank", "please", "with",
        "but", "is", "at", "of", "who", "that", "है", "हूँ", "हूं", "हैं", "और", "बोल", "से",
    ]

    /// Words no name begins with or contains; they mean the caller said something else.
    private static let stopWords: Set<String> = [
        "not", "dont", "do", "sure", "no", "nothing", "what", "why", "who", "how", "sorry", "calling", "just",
        "going", "looking", "trying", "fine", "good", "great", "done", "busy", "ready", "interested", "the", "a",
        "an", "your", "you", "this", "that", "it", "is", "was", "can", "could", "would", "will", "need", "want",
        "help", "yes", "okay", "ok", "hello", "hi", "bye", "goodbye", "thanks", "thank", "wait", "hold", "repeat",
        "again", "there", "here", "have", "did", "didnt", "cant", "wont", "to", "for", "in", "on",
        "नहीं", "क्या", "क्यों", "कौन", "मुझे", "आप", "पता",
    ]

    private static func name(from tokens: [String]) -> String? {
        var parts: [String] = []
        for token in tokens {
            if terminators.contains(normalized(token)) { break }
            parts.append(token)
        }
        guard (1...4).contains(parts.count) else { return nil }
        for part in parts {
            let lowered = normalized(part)
            if stopWords.contains(lowered) { return nil }
            guard part.allSatisfy({ $0.isLetter || $0 == "'" || $0 == "’" || $0 == "-" || $0 == "." || isMark($0) }),
                  part.contains(where: \.isLetter)
            else { return nil }
        }
        return parts.map(capitalised).joined(separator: " ")
    }

    private static func isMark(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { $0.properties.generalCategory.isMark }
    }

    /// "john" → "John", "o'brien" → "O'Brien", "mary-jane" → "Mary-Jane";
    /// mixed case as heard ("McDonald") is kept.
    private static func capitalised(_ part: String) -> String {
        let hasUpper = part.contains(where: \.isUppercase)
        let hasLower = part.contains(where: \.isLowercase)
        if hasUpper && hasLower { return part }
        var result = ""
        var startOfPiece = true
        for character in part.lowercased() {
            result += startOfPiece ? character.uppercased() : String(character)
            startOfPiece = character == "-" || character == "'" || character == "’"
        }
        return result
    }
}
