import Foundation

/// Telling and changing profile details.
enum ProfileRules {
    /// Names users give a detail, longest first so "email address" wins over "email".
    private static let fieldNames: [(String, ProfileField?)] = [
        ("email address", .email), ("e-mail address", .email), ("email", .email), ("e-mail", .email),
        ("first name", .firstName), ("given name", .firstName), ("last name", .lastName), ("surname", .lastName),
        ("family name", .lastName), ("full name", nil), ("name", nil),
        ("phone number", .phoneNumber), ("mobile number", .phoneNumber), ("phone", .phoneNumber),
        ("mobile", .phoneNumber), ("number", .phoneNumber), ("wallet address", .wallet), ("wallet", .wallet),
        ("time zone", .timezone), ("timezone", .timezone), ("language", .language),
    ]

    /// "my email is x@y.com", "set my timezone to Asia/Kolkata", "call me Sam", "my name is Ada Lovelace".
    static func update(_ text: String) -> ChatIntent? {
        if let name = MessageText.remainder(of: text, after: "call me") {
            return intent([(.firstName, name)])
        }
        if let value = MessageText.remainder(of: text, after: "i'm in") ?? MessageText.remainder(of: text, after: "i am in"),
           let zone = try? TimeZoneName.validate(MessageText.cleanValue(value)) {
            return intent([(.timezone, zone)])
        }
        var rest = MessageText.droppingLeading(["set", "change", "update", "make"], from: text)
        let hadVerb = rest.count != text.count
        guard let afterMy = MessageText.remainder(of: rest, after: "my") ?? (hadVerb ? MessageText.remainder(of: rest, after: "the") : nil)
        else { return nil }
        rest = afterMy
        guard let (name, field) = fieldNames.first(where: { MessageText.remainder(of: rest, after: $0.0) != nil }),
              let afterField = MessageText.remainder(of: rest, after: name)
        else { return nil }
        let connectors = ["should be", "is now", "is", "to", "as", "=", ":"]
        guard let connector = connectors.first(where: { MessageText.remainder(of: afterField, after: $0) != nil }),
              let raw = MessageText.remainder(of: afterField, after: connector)
        else { return nil }
        let value = MessageText.cleanValue(raw)
        guard !value.isEmpty else { return nil }
        if let field { return intent([(field, value)]) }
        // "my name is Ada Lovelace": the first word is the first name, the rest the last name.
        let parts = value.split(separator: " ", maxSplits: 1).map(String.init)
        return intent(parts.count == 2 ? [(.firstName, parts[0]), (.lastName, parts[1])] : [(.firstName, value)])
    }

    /// "what's my profile?", "what do you know about me", "what's my email?"
    static func show(_ text: String) -> ChatIntent? {
        let lower = text.lowercased()
        let words = MessageText.words(text)
        if words.contains("profile") || (words.contains("details") && words.contains("my"))
            || lower.contains("about me") || lower.contains("who am i") {
            return .showProfile
        }
        let asks = ["what's my", "whats my", "what is my", "show my", "tell me my", "do you know my"]
        if asks.contains(where: { lower.hasPrefix($0) }), fieldNames.contains(where: { lower.contains($0.0) }) {
            return .showProfile
        }
        return nil
    }

    private static func intent(_ changes: [(ProfileField, String)]) -> ChatIntent {
        var updates: [ProfileUpdate] = []
        for (field, value) in changes {
            do {
                updates.append(try ProfileUpdate(field: field, rawValue: MessageText.cleanValue(value)))
            } catch {
                return .clarify(question: "\(error.reason.prefix(1).uppercased() + error.reason.dropFirst()). "
                    + "What's your \(field.spokenName)?", pending: nil)
            }
        }
        return .updateProfile(updates)
    }
}
