/// Hears an email address, typed ("john.smith@example.com") or spoken
/// ("john at example dot com", "j o h n at gmail dot com", "john underscore
/// smith at example dot co dot uk", Indian English "at the rate").
public enum EmailExtractor {
    /// The address in lowercase, or nil when the words hold none.
    ///
    /// Spoken symbols become characters (at → @, dot → ., underscore → _,
    /// dash → -, plus → +, digit words → digits). The local part is the words
    /// right before "at", back to the first word that cannot belong to an
    /// address ("is", "my", "email", …); spelled letters and split words are
    /// joined ("john smith at …" → `johnsmith@…`). The domain is labels joined
    /// by dots after "at", up to the first word that is not followed by a dot.
    public static func extract(from text: String) -> String? {
        let pieces = symbolPieces(SpokenWords.tokens(text))
        for index in pieces.indices where pieces[index] == .at {
            if let address = address(around: index, in: pieces) { return address }
        }
        return nil
    }

    enum Piece: Equatable {
        case at
        case dot
        case symbol(Character)
        case word(String)
    }

    private static func symbolPieces(_ tokens: [String]) -> [Piece] {
        var pieces: [Piece] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            let next = index + 1 < tokens.count ? tokens[index + 1] : nil
            let afterNext = index + 2 < tokens.count ? tokens[index + 2] : nil
            switch token {
            case "at", "@", "एट":
                pieces.append(.at)
                if next == "the", afterNext == "rate" {
                    index += 2
                } else if next == "rate" {
                    index += 1
                }
            case "dot", "period", "point", "डॉट", "डोट":
                pieces.append(.dot)
            case "underscore", "अंडरस्कोर":
                pieces.append(.symbol("_"))
            case "under" where next == "score":
                pieces.append(.symbol("_"))
                index += 1
            case "dash", "hyphen", "minus", "डैश":
                pieces.append(.symbol("-"))
            case "plus":
                pieces.append(.symbol("+"))
            default:
                if let digit = SpokenWords.digit(token) {
                    pieces.append(.symbol(digit))
                } else if token.contains("@") {
                    // A typed address, possibly with spoken parts around it.
                    let parts = token.split(separator: "@", omittingEmptySubsequences: false)
                    for (position, part) in parts.enumerated() {
                        if position > 0 { pieces.append(.at) }
                        if !part.isEmpty { pieces.append(contentsOf: typedPieces(String(part))) }
                    }
                } else {
                    pieces.append(contentsOf: typedPieces(token))
                }
            }
            index += 1
        }
        return pieces
    }

    // "example.com" typed inside a spoken address: its dots become dot pieces.
    private static func typedPieces(_ token: String) -> [Piece] {
        var pieces: [Piece] = []
        for (position, part) in token.split(separator: ".", omittingEmptySubsequences: false).enumerated() {
            if position > 0 { pieces.append(.dot) }
            if !part.isEmpty { pieces.append(.word(String(part))) }
        }
        return pieces
    }

    /// Words that end the local part when walking back from "at".
    private static let beforeAddress: Set<String> = [
        "is", "its", "it", "was", "my", "email", "e-mail", "mail", "address", "id", "the", "sure", "yes", "yeah",
        "ok", "okay", "that", "thats", "um", "uh", "so", "and", "use", "try", "me", "reach", "at", "send", "to",
        "no", "actually", "sorry", "write", "down", "please", "oh", "well", "hi", "hello", "new", "work", "personal",
        "मेरा", "मेरी", "ईमेल", "है", "आईडी", "पता",
    ]

    private static func address(around atIndex: Int, in pieces: [Piece]) -> String? {
        var local = ""
        var index = atIndex - 1
        while index >= 0 {
            switch pieces[index] {
            case .at: index = -1
            case .dot: local = "." + local
            case .symbol(let character): local = String(character) + local
            case .word(let word):
                if beforeAddress.contains(word.filter { $0 != "'" && $0 != "’" }) {
                    index = -1
                } else {
                    local = word + local
                }
            }
            index -= 1
        }
        while local.hasPrefix(".") { local.removeFirst() }

        var labels: [String] = []
        var label = ""
        var spelling = false
        var joining = false
        index = atIndex + 1
        scan: while index < pieces.count {
            switch pieces[index] {
            case .dot:
                guard !label.isEmpty else { break scan }
                labels.append(label)
                label = ""
                spelling = false
                joining = false
            case .symbol(let character) where character == "-" || character.isNumber:
                label.append(character)
                joining = character == "-"
            case .word(let word):
                // Spelled labels ("g m a i l") arrive one letter at a time and a
                // dash joins two words ("my dash company"); any other word after
                // a finished label means the address is over.
                if label.isEmpty || joining || (spelling && word.count == 1) {
                    label += word
                    spelling = word.count == 1
                    joining = false
                } else {
                    break scan
                }
            default:
                break scan
            }
            index += 1
        }
        if !label.isEmpty { labels.append(label) }
        guard !local.isEmpty, labels.count >= 2, let tld = labels.last, tld.count >= 2,
              tld.allSatisfy({ $0.isLetter }), local.allSatisfy(isLocalCharacter),
              labels.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } })
        else { return nil }
        return local + "@" + labels.joined(separator: ".")
    }

    private static func isLocalCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || "._%+-'".contains(character)
    }
}
