import Foundation

/// What is wrong with an agent an operator sent, naming the field as the JSON
/// spells it (`language`, `data_to_fill.email.validation_pattern`).
public struct AgentProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}

/// The rules an agent must follow to be stored, as the original system's model
/// has them, with bounds on every size.
public enum AgentValidation {
    public static let maxPrompt = 20_000
    public static let maxText = 2_000
    public static let maxFewShot = 20
    public static let maxFields = 30
    /// Twilio's `TimeLimit` goes up to four hours.
    public static let maxDurationRange = 10...14_400

    /// Whether `text` can be an `agent_id`: 1 to 64 letters, digits, '-' or '_',
    /// starting with a letter or digit.
    public static func isAgentId(_ text: String) -> Bool {
        // Over bytes: every status callback asks, and a regex literal is
        // compiled anew each time it is evaluated.
        let bytes = text.utf8
        guard let first = bytes.first, bytes.count <= 64, isASCIIAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isASCIIAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: false
        }
    }

    /// Whether `text` is where a webhook can be sent: http(s), a host, no credentials.
    public static func isWebhookURL(_ text: String) -> Bool {
        guard text.utf8.count <= 2048, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty, url.user == nil
        else { return false }
        return true
    }

    /// Every problem, in field order; empty when the agent can be stored.
    public static func problems(_ agent: Agent) -> [AgentProblem] {
        var problems: [AgentProblem] = []
        func check(_ ok: Bool, _ field: String, _ reason: String) {
            if !ok { problems.append(AgentProblem(field: field, reason: reason)) }
        }
        check(isAgentId(agent.agentId), "agent_id",
              "must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit")
        check(!agent.name.trimmed.isEmpty && agent.name.count <= 200, "name", "must be 1 to 200 characters")
        check(agent.prompt.count <= maxPrompt, "prompt", "must be at most \(maxPrompt) characters")
        check(!agent.voice.trimmed.isEmpty && agent.voice.count <= 64, "voice",
              "must name a Twilio voice, like Polly.Joanna (1 to 64 characters)")
        check(agent.language.wholeMatch(of: /[a-z]{2,3}-[A-Z]{2}/) != nil, "language",
              "must be a language tag like en-US or hi-IN")
        check(agent.greeting.count <= maxText, "greeting", "must be at most \(maxText) characters")
        check(agent.fewShot.count <= maxFewShot, "few_shot", "must have at most \(maxFewShot) examples")
        for (index, example) in agent.fewShot.enumerated() {
            check(!example.user.trimmed.isEmpty && example.user.count <= maxText, "few_shot[\(index)].user",
                  "must be 1 to \(maxText) characters")
            check(!example.assistant.trimmed.isEmpty && example.assistant.count <= maxText,
                  "few_shot[\(index)].assistant", "must be 1 to \(maxText) characters")
        }
        check(agent.dataToFill.count <= maxFields, "data_to_fill", "must have at most \(maxFields) fields")
        var seen = Set<String>()
        for field in agent.dataToFill {
            let path = "data_to_fill.\(field.name)"
            check(field.name.wholeMatch(of: /[a-z][a-z0-9_]{0,63}/) != nil, path,
                  "field names are 1 to 64 lowercase letters, digits or '_', starting with a letter")
            check(seen.insert(field.name).inserted, path, "appears twice")
            check(!field.prompt.trimmed.isEmpty && field.prompt.count <= maxText, path + ".prompt",
                  "must be 1 to \(maxText) characters")
            check((field.example ?? "").count <= 200, path + ".example", "must be at most 200 characters")
            if let pattern = field.validationPattern, !pattern.isEmpty {
                check(pattern.count <= 500 && FieldValidator.compile(pattern) != nil, path + ".validation_pattern",
                      "must be a valid regular expression of at most 500 characters")
            }
        }
        check((agent.successCriteria ?? "").count <= maxText, "success_criteria", "must be at most \(maxText) characters")
        if let seconds = agent.maxDurationSeconds {
            check((maxDurationRange).contains(seconds), "max_duration_seconds",
                  "must be \(maxDurationRange.lowerBound) to \(maxDurationRange.upperBound) seconds (Twilio's TimeLimit)")
        }
        if let turns = agent.maxTurns {
            check((1...500).contains(turns), "max_turns", "must be 1 to 500")
        }
        check((agent.voicemailMessage ?? "").count <= 1_000, "voicemail_message", "must be at most 1000 characters")
        for (key, action) in (agent.keypad ?? [:]).sorted(by: { $0.key < $1.key }) {
            check(key.count == 1 && "0123456789*".contains(key), "keypad.\(key)", "keys are single digits 0-9 or *")
            check(action != .transfer || agent.transferNumber != nil, "keypad.\(key)", "transfer needs a transfer_number")
        }
        if let number = agent.transferNumber {
            check(PhoneNumber.isE164(number), "transfer_number", "must be an E.164 number such as +14155550100")
        }
        if let url = agent.webhookURL {
            check(isWebhookURL(url), "webhook_url", "must be an http or https URL with a host, at most 2048 characters")
            check(agent.webhookSecret != nil, "webhook_secret", "is required with webhook_url: the reports are signed with it")
        }
        if let secret = agent.webhookSecret {
            check((16...256).contains(secret.count) && secret.allSatisfy { $0.isASCII && !$0.isWhitespace && !$0.isNewline },
                  "webhook_secret", "must be 16 to 256 printable ASCII characters without spaces")
        }
        return problems
    }
}
