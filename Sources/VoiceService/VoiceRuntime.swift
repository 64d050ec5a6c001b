import AWS
import Common
import Foundation
import LLM
import Logging
import SessionDB
import Voice

/// Everything the voice endpoints share within one process, built once at start.
public struct VoiceRuntime: Sendable {
    public let config: AppConfig
    public let sessions: SessionStore
    public let agents: AgentDirectory
    /// Nil with `ENABLE_DYNAMODB=false`: calls then live in SessionDB alone.
    public let calls: CallStore?
    /// The operator's writes to the agents table; nil with `ENABLE_DYNAMODB=false`.
    public let agentStore: AgentStore?
    /// Our numbers' assignments in DynamoDB; nil with `ENABLE_DYNAMODB=false`.
    public let phoneNumberStore: PhoneNumberStore?
    /// Signs links to archived recordings; nil with `ENABLE_S3_UPLOAD=false`.
    public let recordings: S3Client?
    public let numbers: NumberDirectory
    public let preparedCalls: PreparedCalls
    /// Nil until `TWILIO_ACCOUNT_SID` and `TWILIO_AUTH_TOKEN` are set.
    public let twilio: TwilioClient?
    public let verifier: WebhookVerifier
    public let operatorAuth: OperatorAuth
    /// Every turn's bookkeeping around the agent's conversation engine.
    public let turns: TurnDriver
    /// The agent's lines played from our own files (`USE_LOCAL_TTS=true`); nil: `<Say>`.
    public let speech: LocalSpeech?

    public init(context: RequestContext) throws {
        let config = context.config
        self.config = config
        sessions = try SessionStore(database: context.sessionDB)
        preparedCalls = try PreparedCalls(database: context.sessionDB)
        var dynamo: DynamoDBClient?
        if config.voice.enableDynamoDB {
            dynamo = DynamoDBClient(configuration: AWSConfiguration(environment: config.awsEnvironment),
                                    logger: Logger(label: "dynamodb"))
        }
        agents = try AgentDirectory(database: context.sessionDB, cacheName: SessionDBLayout.agentCache, dynamo: dynamo,
                                    table: config.tables.agents, ttlSeconds: config.voice.agentCacheTTLSeconds,
                                    logger: context.logger)
        calls = dynamo.map { CallStore(dynamo: $0, table: config.tables.calls) }
        agentStore = dynamo.map { AgentStore(dynamo: $0, table: config.tables.agents) }
        recordings = config.voice.enableS3Upload
            ? S3Client(configuration: AWSConfiguration(environment: config.awsEnvironment), logger: Logger(label: "s3"))
            : nil
        phoneNumberStore = dynamo.map { PhoneNumberStore(dynamo: $0, table: config.tables.phoneNumbers) }
        numbers = try NumberDirectory(database: context.sessionDB, numbers: phoneNumberStore,
                                      ttlSeconds: config.voice.agentCacheTTLSeconds)
        if let sid = config.twilio.accountSID, let token = config.twilio.authToken {
            twilio = TwilioClient(baseURL: config.twilio.apiBaseURL, accountSID: sid, authToken: token)
        } else {
            twilio = nil
        }
        verifier = WebhookVerifier(authToken: config.twilio.authToken, publicURL: config.voice.publicURL)
        operatorAuth = OperatorAuth(apiKey: config.apiKey)
        turns = TurnDriver(engine: Self.engine(config.llm),
                           configuration: .init(syncFrequency: config.voice.sessionSyncFrequency,
                                                maxTurns: config.voice.maxTurns))
        speech = try Self.localSpeech(config)
    }

    /// The LLM engine when an LLM is configured (the rules answer agents set to
    /// `rules` and every turn the LLM misses), else the rule engine.
    static func engine(_ settings: LLMSettings) -> any ConversationEngine {
        guard let provider = settings.provider else { return RuleEngine() }
        return LLMEngine(client: LLMClient(provider: provider), configuration: .init(
            defaultTurnTime: .milliseconds(settings.turnDeadlineMilliseconds), maxTokens: settings.maxTokens,
            prompt: VoicePrompt(historyMessages: settings.historyMessages)))
    }

    /// When a turn is due: `LLM_TURN_DEADLINE_MS` after arrival with an LLM,
    /// else the webhook's deadline.
    public func turnDeadline(_ context: RequestContext) -> Deadline {
        guard config.llm.isConfigured else { return context.deadline }
        return context.deadline(after: .milliseconds(config.llm.turnDeadlineMilliseconds))
    }

    /// Options for an AWS call of a request: at most `budget` (by default
    /// `WEBHOOK_AWS_BUDGET_MS`) and never past the request's deadline, logged
    /// with the request's logger.
    public func aws(_ context: RequestContext, budget: Duration? = nil) -> AWSCallOptions {
        let budget = budget ?? .milliseconds(config.voice.webhookAWSBudgetMilliseconds)
        return AWSCallOptions(deadline: context.deadline.capping(budget), logger: context.logger)
    }

    /// How long a call waits for the caller's past calls before going on without them.
    public var pastCallsBudget: Duration { .milliseconds(config.voice.pastCallsBudgetMilliseconds) }

    /// The last 5 calls between an agent and a number (one Query), newest first.
    public func pastCalls(agentId: String, recipientPhone: String, options: AWSCallOptions) throws -> [PastCall] {
        guard let calls else { return [] }
        return try calls.pastCalls(agentId: agentId, recipientPhone: recipientPhone, options: options)
            .map(PastCall.init(record:))
    }

    /// The zone in which an agent tells the time: India for Hindi agents,
    /// `VOICE_TIMEZONE` otherwise.
    public func timeZone(for agent: Agent) -> TimeZone {
        if agent.language.lowercased().hasPrefix("hi") { return TimeZone(identifier: "Asia/Kolkata")! }
        return TimeZone(identifier: config.voice.timeZone) ?? .gmt
    }

    public func publicURL(_ path: String) -> String? {
        config.voice.publicURL.map { $0 + path }
    }
}
