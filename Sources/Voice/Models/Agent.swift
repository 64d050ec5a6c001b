import Foundation

/// Whether an agent may take calls.
public enum AgentStatus: String, Codable, Sendable, CaseIterable {
    case active, inactive, archived
}

/// Which engine answers an agent's calls (`engine`).
public enum AgentEngine: String, Codable, Sendable, CaseIterable {
    /// The configured LLM, with the rule engine as the fallback of every turn.
    case llm
    /// The built-in rule engine only, even when an LLM is configured.
    case rules
}

/// What a key of the agent's keypad menu does.
public enum KeypadAction: String, Codable, Sendable, CaseIterable {
    /// Say the last question again.
    case `repeat`
    /// Say goodbye and hang up.
    case goodbye
    /// Put the caller through to the agent's `transfer_number`.
    case transfer
}

/// An example exchange shown to an LLM-backed engine (`few_shot`).
public struct FewShotExample: Codable, Sendable, Hashable {
    public var user: String
    public var assistant: String

    public init(user: String, assistant: String) {
        self.user = user
        self.assistant = assistant
    }
}

/// An AI phone agent as an operator defines it: an item of `VoiceAssistant_Agents`.
///
/// ## Field order
/// `data_to_fill` is a map in JSON and in DynamoDB, and neither keeps key order,
/// yet a caller must be asked for the fields in a stable order. `dataToFill` is
/// therefore an ordered list, sorted on decoding by:
/// 1. the entry's `order` attribute, when present (lowest first);
/// 2. then the kind of field: a person's name first, then contact details
///    (email, phone), then everything else;
/// 3. then the field name, alphabetically, so that no two orders are possible.
/// Encoding writes each entry's position as `order`, so an agent round-trips
/// through DynamoDB or the admin API with its order unchanged.
public struct Agent: Codable, Sendable, Hashable {
    public var agentId: String
    public var name: String
    /// The system prompt for an LLM-backed engine.
    public var prompt: String
    public var fewShot: [FewShotExample]
    /// A Twilio `<Say>` voice, e.g. `Polly.Joanna`.
    public var voice: String
    /// A BCP 47 language code, e.g. `en-US`, `hi-IN`; used for `<Say>` and `<Gather>`.
    public var language: String
    /// The agent's first words on every call.
    public var greeting: String
    /// The fields to collect, in the order they are asked for.
    public var dataToFill: [DataField]
    public var status: AgentStatus
    /// Nil: the LLM when one is configured, else the rules.
    public var engine: AgentEngine?
    /// What a successful call achieves, for post-call analysis (`success_criteria`).
    public var successCriteria: String?
    /// Where the worker POSTs the report of each finished call (`webhook_url`).
    public var webhookURL: String?
    /// The key of the report's HMAC-SHA256 signature (`webhook_secret`).
    public var webhookSecret: String?
    /// The longest a call may last (`max_duration_seconds`): Twilio's `TimeLimit`,
    /// and the agent wraps up in the turn that crosses 90 % of it.
    public var maxDurationSeconds: Int?
    /// Caller turns after which the call is closed (`max_turns`); nil: `VOICE_MAX_TURNS`.
    public var maxTurns: Int?
    /// What the agent leaves on an answering machine (`voicemail_message`); nil: it hangs up.
    /// `{name}` is the recipient's name from past calls, `{agent_name}` the agent's.
    public var voicemailMessage: String?
    /// Keys the caller may press and what they do (`keypad`), e.g. `"9": "repeat"`.
    public var keypad: [String: KeypadAction]?
    /// Where a caller who asks for a person is put through (`transfer_number`, E.164).
    public var transferNumber: String?
    public var createdAt: Timestamp?
    public var updatedAt: Timestamp?

    public init(
        agentId: String, name: String, prompt: String, fewShot: [FewShotExample] = [], voice: String,
        language: String, greeting: String, dataToFill: [DataField] = [], status: AgentStatus = .active,
        engine: AgentEngine? = nil, successCriteria: String? = nil, webhookURL: String? = nil,
        webhookSecret: String? = nil, createdAt: Timestamp? = nil, updatedAt: Timestamp? = nil
    ) {
        self.agentId = agentId
        self.name = name
        self.prompt = prompt
        self.fewShot = fewShot
        self.voice = voice
        self.language = language
        self.greeting = greeting
        self.dataToFill = dataToFill
        self.status = status
        self.engine = engine
        self.successCriteria = successCriteria
        self.webhookURL = webhookURL
        self.webhookSecret = webhookSecret
        self.maxDurationSeconds = nil
        self.maxTurns = nil
        self.voicemailMessage = nil
        self.keypad = nil
        self.transferNumber = nil
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The agent without its webhook secret, for copies kept where operators
    /// read them (outbox payloads).
    public var withoutSecrets: Agent {
        var copy = self
        copy.webhookSecret = nil
        return copy
    }

    /// Whether an LLM answers this agent's calls when one is configured.
    public var usesLLM: Bool { engine != .rules }

    /// The field with this name, if the agent collects it.
    public func field(named name: String) -> DataField? {
        dataToFill.first { $0.name == name }
    }

    /// Problems that would make the agent misbehave on a call (empty when none):
    /// an admin endpoint should refuse to save an agent that has any.
    public func configurationProblems() -> [String] {
        var problems: [String] = []
        if agentId.isEmpty { problems.append("agent_id is empty") }
        if voice.isEmpty { problems.append("voice is empty") }
        if language.isEmpty { problems.append("language is empty") }
        var seen = Set<String>()
        for field in dataToFill {
            if !seen.insert(field.name).inserted { problems.append("data_to_fill.\(field.name) appears twice") }
            if field.prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append("data_to_fill.\(field.name).prompt is empty")
            }
            if let pattern = field.validationPattern, !pattern.isEmpty, FieldValidator.compile(pattern) == nil {
                problems.append("data_to_fill.\(field.name).validation_pattern is not a valid regular expression")
            }
        }
        return problems
    }

    enum CodingKeys: String, CodingKey {
        case agentId = "agent_id"
        case name, prompt, voice, language, greeting, status, engine
        case successCriteria = "success_criteria"
        case webhookURL = "webhook_url"
        case webhookSecret = "webhook_secret"
        case maxDurationSeconds = "max_duration_seconds"
        case maxTurns = "max_turns"
        case voicemailMessage = "voicemail_message"
        case keypad
        case transferNumber = "transfer_number"
        case fewShot = "few_shot"
        case dataToFill = "data_to_fill"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// Decodes an item as the Python system or an operator wrote it: only
    /// `agent_id` is required; a missing voice, language or status takes the
    /// original system's default (Polly.Joanna, en-US, active).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        agentId = try container.decode(String.self, forKey: .agentId)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? agentId
        prompt = try container.decodeIfPresent(String.self, forKey: .prompt) ?? ""
        fewShot = try container.decodeIfPresent([FewShotExample].self, forKey: .fewShot) ?? []
        voice = try container.decodeIfPresent(String.self, forKey: .voice) ?? "Polly.Joanna"
        language = try container.decodeIfPresent(String.self, forKey: .language) ?? "en-US"
        greeting = try container.decodeIfPresent(String.self, forKey: .greeting) ?? ""
        status = try container.decodeIfPresent(AgentStatus.self, forKey: .status) ?? .active
        engine = try container.decodeIfPresent(AgentEngine.self, forKey: .engine)
        successCriteria = try container.decodeIfPresent(String.self, forKey: .successCriteria)
        webhookURL = try container.decodeIfPresent(String.self, forKey: .webhookURL)
        webhookSecret = try container.decodeIfPresent(String.self, forKey: .webhookSecret)
        maxDurationSeconds = try container.decodeIfPresent(Int.self, forKey: .maxDurationSeconds)
        maxTurns = try container.decodeIfPresent(Int.self, forKey: .maxTurns)
        voicemailMessage = try container.decodeIfPresent(String.self, forKey: .voicemailMessage)
        keypad = try container.decodeIfPresent([String: KeypadAction].self, forKey: .keypad)
        transferNumber = try container.decodeIfPresent(String.self, forKey: .transferNumber)
        createdAt = try container.decodeIfPresent(Timestamp.self, forKey: .createdAt)
        updatedAt = try container.decodeIfPresent(Timestamp.self, forKey: .updatedAt)
        dataToFill = []
        if container.contains(.dataToFill), try !container.decodeNil(forKey: .dataToFill) {
            let map = try container.nestedContainer(keyedBy: DynamicCodingKey.self, forKey: .dataToFill)
            for key in map.allKeys {
                let spec = try map.decode(DataFieldSpec.self, forKey: key)
                dataToFill.append(DataField(
                    name: key.stringValue, required: spec.required ?? true, prompt: spec.prompt,
                    example: spec.example, validationPattern: spec.validationPattern, order: spec.order))
            }
        }
        dataToFill.sort(by: Agent.collectionOrder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(agentId, forKey: .agentId)
        try container.encode(name, forKey: .name)
        try container.encode(prompt, forKey: .prompt)
        try container.encode(fewShot, forKey: .fewShot)
        try container.encode(voice, forKey: .voice)
        try container.encode(language, forKey: .language)
        try container.encode(greeting, forKey: .greeting)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(engine, forKey: .engine)
        try container.encodeIfPresent(successCriteria, forKey: .successCriteria)
        try container.encodeIfPresent(webhookURL, forKey: .webhookURL)
        try container.encodeIfPresent(webhookSecret, forKey: .webhookSecret)
        try container.encodeIfPresent(maxDurationSeconds, forKey: .maxDurationSeconds)
        try container.encodeIfPresent(maxTurns, forKey: .maxTurns)
        try container.encodeIfPresent(voicemailMessage, forKey: .voicemailMessage)
        try container.encodeIfPresent(keypad, forKey: .keypad)
        try container.encodeIfPresent(transferNumber, forKey: .transferNumber)
        try container.encodeIfPresent(createdAt, forKey: .createdAt)
        try container.encodeIfPresent(updatedAt, forKey: .updatedAt)
        var map = container.nestedContainer(keyedBy: DynamicCodingKey.self, forKey: .dataToFill)
        for (position, field) in dataToFill.enumerated() {
            let spec = DataFieldSpec(
                required: field.required, prompt: field.prompt, example: field.example,
                validationPattern: field.validationPattern, order: position + 1)
            try map.encode(spec, forKey: DynamicCodingKey(field.name))
        }
    }

    static func collectionOrder(_ lhs: DataField, _ rhs: DataField) -> Bool {
        let left = (lhs.order ?? Int.max, kindRank(lhs.kind), lhs.name)
        let right = (rhs.order ?? Int.max, kindRank(rhs.kind), rhs.name)
        return left < right
    }

    private static func kindRank(_ kind: FieldKind) -> Int {
        switch kind {
        case .personName: 0
        case .email, .phone, .contact: 1
        case .freeText: 2
        }
    }
}
