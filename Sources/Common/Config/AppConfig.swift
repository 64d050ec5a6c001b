import Foundation
import SessionDB

/// Everything a process of the stack is configured with, validated at start.
/// Names and defaults follow DESIGN.md section 5; `.env.example` documents each.
public struct AppConfig: Sendable {
    public struct Server: Sendable {
        /// State folder: SessionDB, sockets, logs, rendered configs.
        public var varDirectory: String
        public var httpPort: Int
        /// Request bodies above this are refused with 413 (nginx and handlers).
        public var maxBodyBytes: Int
        /// Threads in each process of an endpoint that only touches SessionDB.
        public var handlerThreads: Int
        /// Threads in each process of an endpoint that waits on upstreams.
        public var waitingHandlerThreads: Int
        /// Twilio webhooks answer within this many milliseconds of nginx receiving them.
        public var webhookDeadlineMilliseconds: Int
        /// Other endpoints answer within this many milliseconds of arrival.
        public var requestDeadlineMilliseconds: Int
        /// Processes per endpoint under supervisord (two or more keep an endpoint
        /// answering while one restarts).
        public var handlerProcesses: Int
        /// nginx worker processes: a number, or "auto" for one per core.
        public var nginxWorkers: String
    }

    public struct Tables: Sendable {
        public var agents: String
        public var calls: String
        public var phoneNumbers: String
        public var reminders: String
        public var todos: String
        public var users: String
        public var conversations: String
    }

    public struct Recordings: Sendable {
        public var bucket: String
        public var prefix: String
    }

    public struct Voice: Sendable {
        public var sessionSyncFrequency: Int
        public var agentCacheTTLSeconds: Int
        public var enableDynamoDB: Bool
        public var enableS3Upload: Bool
        public var publicURL: String?
        /// Time for all AWS calls of one webhook together (the answer webhook's
        /// agent read, past calls and record creation).
        public var webhookAWSBudgetMilliseconds: Int
        /// How long a call may wait for the caller's past calls: an inbound
        /// answer's Query, and make-call's Query before it dials.
        public var pastCallsBudgetMilliseconds: Int
        /// Caller turns before the agent closes the call.
        public var maxTurns: Int
        /// Zone for telling callers the time, unless the agent's language implies one.
        public var timeZone: String
    }

    public struct Twilio: Sendable {
        public var accountSID: String?
        public var authToken: String?
        public var phoneNumber: String?
        public var apiBaseURL: String
    }

    /// Local mode: the AWS emulator and the Twilio simulator on loopback.
    public struct LocalMode: Sendable {
        public var aws: Bool
        public var awsPort: Int
        public var twilio: Bool
        public var twilioPort: Int
    }

    /// The chat assistant (Remo): Privy authentication and the test-only clock pin.
    public struct Remo: Sendable {
        /// `PRIVY_APP_ID`: the audience Privy access tokens must name. The chat
        /// endpoints answer 503 until it and the key are set.
        public var privyAppId: String?
        /// `PRIVY_VERIFICATION_KEY`: Privy's ES256 public key, SPKI PEM (literal `\n` allowed).
        public var privyVerificationKey: String?
        /// `PRIVY_CLOCK_SKEW_SECONDS`: tolerance for a token's `exp`, `iat` and `nbf`.
        public var tokenClockSkewSeconds: Int
        /// `REMO_FIXED_NOW`: the instant the assistant takes as "now" when reading
        /// time phrases and stamping items. Tests pin it to check absolute times;
        /// refused unless `LOCAL_AWS=true`, so a production stack cannot run on a
        /// stopped clock. Token expiry is always checked against the real clock.
        public var fixedNow: Date?

        static func load(_ env: Environment, localAWS: Bool) throws -> Remo {
            var fixedNow: Date?
            if let text = env["REMO_FIXED_NOW"] {
                guard localAWS else {
                    throw ConfigError.invalid(variable: "REMO_FIXED_NOW", value: text,
                                              expected: "unset: it pins the chat clock for tests and is refused unless LOCAL_AWS=true")
                }
                let formatter = ISO8601DateFormatter()
                formatter.formatOptions = [.withInternetDateTime]
                guard let date = formatter.date(from: text) else {
                    throw ConfigError.invalid(variable: "REMO_FIXED_NOW", value: text,
                                              expected: "an ISO 8601 date-time with a zone, like 2026-11-18T05:30:00Z")
                }
                fixedNow = date
            }
            return Remo(privyAppId: env["PRIVY_APP_ID"], privyVerificationKey: env["PRIVY_VERIFICATION_KEY"],
                        tokenClockSkewSeconds: try env.int("PRIVY_CLOCK_SKEW_SECONDS", default: 60, in: 0...600),
                        fixedNow: fixedNow)
        }
    }

    /// The Twilio account the simulator plays in local mode; not a secret.
    public static let simulatorAccountSID = "AC00000000000000000000000000000000"
    public static let simulatorAuthToken = "local-simulator-auth-token"

    public var environment: Environment
    /// What the AWS clients are configured from: the environment, plus in local
    /// mode the emulator's endpoint and dummy credentials where none are set.
    public var awsEnvironment: [String: String]
    public var local: LocalMode
    public var server: Server
    public var sessionDB: SessionDBOptions
    public var logLevel: LogLevel
    public var tables: Tables
    public var recordings: Recordings
    public var voice: Voice
    public var twilio: Twilio
    /// Bearer key for operator endpoints.
    public var apiKey: String?
    public var remo: Remo
    public var llm: LLMSettings
    public var tts: TTSSettings

    public init(environment env: Environment) throws {
        environment = env
        local = LocalMode(
            aws: try env.bool("LOCAL_AWS", default: true),
            awsPort: try env.int("LOCAL_AWS_PORT", default: 4566, in: 1...65535),
            twilio: try env.bool("LOCAL_TWILIO", default: true),
            twilioPort: try env.int("TWILIO_SIM_PORT", default: 4567, in: 1...65535))
        awsEnvironment = env.values
        if local.aws {
            for (name, value) in [("AWS_ENDPOINT_URL", "http://127.0.0.1:\(local.awsPort)"),
                                  ("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                                  ("AWS_REGION", "us-east-1")] where env[name] == nil {
                awsEnvironment[name] = value
            }
        }
        let varDirectory = env.string("VAR_DIR", default: "./var")
        server = Server(
            varDirectory: varDirectory,
            httpPort: try env.int("HTTP_PORT", default: 8080, in: 1...65535),
            maxBodyBytes: try env.int("MAX_BODY_BYTES", default: 1 << 20, in: 1024...(64 << 20)),
            handlerThreads: try env.int("HANDLER_THREADS", default: 4, in: 1...1024),
            waitingHandlerThreads: try env.int("HANDLER_THREADS_WAITING", default: 100, in: 1...1024),
            webhookDeadlineMilliseconds: try env.int("WEBHOOK_DEADLINE_MS", default: 2000, in: 100...14000),
            requestDeadlineMilliseconds: try env.int("REQUEST_DEADLINE_MS", default: 10000, in: 100...60000),
            handlerProcesses: try env.int("HANDLER_PROCESSES", default: 2, in: 1...64),
            nginxWorkers: env["NGINX_WORKERS"]?.lowercased() == "auto"
                ? "auto" : String(try env.int("NGINX_WORKERS", default: 2, in: 1...64))
        )
        for name in env.values.keys where name.hasPrefix("HANDLER_THREADS_") {
            _ = try env.int(name, default: 1, in: 1...1024)  // a typo stops every process, not one endpoint
        }
        sessionDB = SessionDBOptions(
            directory: env.string("SESSIONDB_DIR", default: varDirectory + "/sessiondb"),
            mapSizeBytes: try env.int("SESSIONDB_MAP_SIZE_MB", default: 1024, in: 1...(1 << 20)) << 20,
            maxReaders: UInt32(try env.int("SESSIONDB_MAX_READERS", default: 1024, in: 16...65536)),
            durability: try env.choice("SESSIONDB_DURABILITY", default: SessionDBOptions.Durability.none),
            writeMap: try env.bool("SESSIONDB_WRITEMAP", default: true)
        )
        logLevel = try env.choice("LOG_LEVEL", default: LogLevel.info)
        tables = Tables(
            agents: env.string("DYNAMODB_TABLE_AGENTS", default: "VoiceAssistant_Agents"),
            calls: env.string("DYNAMODB_TABLE_CALLS", default: "VoiceAssistant_Calls"),
            phoneNumbers: env.string("DYNAMODB_TABLE_PHONE_NUMBERS", default: "VoiceAssistant_PhoneNumbers"),
            reminders: env.string("DYNAMODB_TABLE_REMINDERS", default: "remo-reminders"),
            todos: env.string("DYNAMODB_TABLE_TODOS", default: "remo-todos"),
            users: env.string("DYNAMODB_TABLE_USERS", default: "remo-users"),
            conversations: env.string("DYNAMODB_TABLE_CONVERSATIONS", default: "remo-conversations")
        )
        recordings = Recordings(
            bucket: env.string("S3_BUCKET_RECORDINGS", default: "voice-assistant-recordings"),
            prefix: env.string("S3_RECORDINGS_PREFIX", default: "recordings/")
        )
        voice = Voice(
            sessionSyncFrequency: try env.int("SESSION_SYNC_FREQUENCY", default: 5, in: 1...1000),
            agentCacheTTLSeconds: try env.int("AGENT_CACHE_TTL_SECONDS", default: 300, in: 0...86400),
            enableDynamoDB: try env.bool("ENABLE_DYNAMODB", default: true),
            enableS3Upload: try env.bool("ENABLE_S3_UPLOAD", default: true),
            publicURL: local.twilio ? "http://127.0.0.1:\(server.httpPort)" : try env.url("PUBLIC_URL"),
            webhookAWSBudgetMilliseconds: try env.int("WEBHOOK_AWS_BUDGET_MS", default: 1500, in: 100...10000),
            pastCallsBudgetMilliseconds: try env.int("PAST_CALLS_BUDGET_MS", default: 300, in: 0...5000),
            maxTurns: try env.int("VOICE_MAX_TURNS", default: 30, in: 1...500),
            timeZone: try Self.timeZone(env, "VOICE_TIMEZONE")
        )
        if local.twilio {
            // The simulator's account, and our own loopback URL as the public one.
            twilio = Twilio(
                accountSID: Self.simulatorAccountSID, authToken: Self.simulatorAuthToken,
                phoneNumber: env["TWILIO_PHONE_NUMBER"] ?? "+15550009999",
                apiBaseURL: "http://127.0.0.1:\(local.twilioPort)")
        } else {
            twilio = Twilio(
                accountSID: env["TWILIO_ACCOUNT_SID"],
                authToken: env["TWILIO_AUTH_TOKEN"],
                phoneNumber: env["TWILIO_PHONE_NUMBER"],
                apiBaseURL: try env.url("TWILIO_API_BASE_URL", default: "https://api.twilio.com") ?? "https://api.twilio.com")
        }
        apiKey = env["API_KEY"]
        remo = try Remo.load(env, localAWS: local.aws)
        llm = try LLMSettings.load(env)
        tts = try TTSSettings.load(env, varDirectory: varDirectory)
    }

    /// Threads for the processes of `endpoint`: `HANDLER_THREADS_<NAME>` (the
    /// name in capitals, `-` as `_`), else the default for its kind.
    public func handlerThreads(endpoint: String, traits: EndpointTraits) throws -> Int {
        let name = "HANDLER_THREADS_" + endpoint.uppercased().replacingOccurrences(of: "-", with: "_")
        let fallback = traits.waitsOnUpstreams ? server.waitingHandlerThreads : server.handlerThreads
        return try environment.int(name, default: fallback, in: 1...1024)
    }

    /// How long a request of an endpoint with `traits` may take from arrival.
    public func deadline(for traits: EndpointTraits) -> Duration {
        .milliseconds(traits.isTwilioWebhook ? server.webhookDeadlineMilliseconds : server.requestDeadlineMilliseconds)
    }

    private static func timeZone(_ env: Environment, _ name: String) throws -> String {
        let identifier = env.string(name, default: "UTC")
        guard TimeZone(identifier: identifier) != nil else {
            throw ConfigError.invalid(variable: name, value: identifier, expected: "an IANA time zone such as America/New_York")
        }
        return identifier
    }

    /// Loads `.env` and the process environment and validates them.
    public static func load() throws -> AppConfig {
        try AppConfig(environment: Environment.load())
    }
}

/// Log levels accepted by `LOG_LEVEL`.
public enum LogLevel: String, Sendable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}
