import ArgumentParser
import AWS
import Common
import LLM
import Foundation
import RemoService

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check the configuration (.env and environment).",
        subcommands: [Check.self, Shell.self]
    )

    /// Validates every variable; exits non-zero naming the first bad one.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate the configuration and print a summary.")

        func run() throws {
            let config = try loadConfig()
            // The key is parsed as the chat endpoints parse it, so a bad PEM shows here, not at their start.
            let privy = try RemoAuth(config: config.remo).isConfigured
            let rows: [(String, String)] = [
                ("LOCAL_AWS", "\(config.local.aws)"),
                ("LOCAL_TWILIO", "\(config.local.twilio)"),
                ("AWS_REGION", config.awsEnvironment["AWS_REGION"] ?? config.awsEnvironment["AWS_DEFAULT_REGION"] ?? "(not set)"),
                ("AWS_ENDPOINT_URL", config.awsEnvironment["AWS_ENDPOINT_URL"] ?? "(AWS)"),
                ("VAR_DIR", config.server.varDirectory),
                ("HTTP_PORT", "\(config.server.httpPort)"),
                ("HANDLER_PROCESSES", "\(config.server.handlerProcesses)"),
                ("HANDLER_THREADS", "\(config.server.handlerThreads)"),
                ("HANDLER_THREADS_WAITING", "\(config.server.waitingHandlerThreads)"),
                ("WEBHOOK_DEADLINE_MS", "\(config.server.webhookDeadlineMilliseconds)"),
                ("REQUEST_DEADLINE_MS", "\(config.server.requestDeadlineMilliseconds)"),
                ("MAX_BODY_BYTES", "\(config.server.maxBodyBytes)"),
                ("SESSIONDB_DIR", config.sessionDB.directory),
                ("SESSIONDB_MAP_SIZE_MB", "\(config.sessionDB.mapSizeBytes >> 20)"),
                ("SESSIONDB_DURABILITY", config.sessionDB.durability.rawValue),
                ("SESSIONDB_WRITEMAP", "\(config.sessionDB.writeMap)"),
                ("SESSION_SYNC_FREQUENCY", "\(config.voice.sessionSyncFrequency)"),
                ("AGENT_CACHE_TTL_SECONDS", "\(config.voice.agentCacheTTLSeconds)"),
                ("ENABLE_DYNAMODB", "\(config.voice.enableDynamoDB)"),
                ("ENABLE_S3_UPLOAD", "\(config.voice.enableS3Upload)"),
                ("PUBLIC_URL", config.voice.publicURL ?? "(not set)"),
                ("API_KEY", config.apiKey == nil ? "(not set)" : "(set)"),
                ("TWILIO_AUTH_TOKEN", config.twilio.authToken == nil ? "(not set)" : "(set)"),
                ("PRIVY_APP_ID", config.remo.privyAppId ?? "(not set)"),
                ("PRIVY_VERIFICATION_KEY", config.remo.privyVerificationKey == nil ? "(not set)" : "(valid P-256 key)"),
                ("chat endpoints", privy ? "enabled" : "answer 503 until both PRIVY_ variables are set"),
                ("LLM", Self.describe(config.llm)),
                ("LLM_TURN_DEADLINE_MS", "\(config.llm.turnDeadlineMilliseconds)"),
                ("LLM_MAX_TOKENS", "\(config.llm.maxTokens)"),
                ("LLM_HISTORY_MESSAGES", "\(config.llm.historyMessages)"),
                ("LOG_LEVEL", config.logLevel.rawValue),
            ]
            print("configuration is valid")
            for (name, value) in rows {
                print("  \(name.padding(toLength: 26, withPad: " ", startingAt: 0)) \(value)")
            }
        }

        static func describe(_ llm: LLMSettings) -> String {
            switch llm.provider {
            case nil:
                return "none: the rule engine answers every call"
            case .openAI(let baseURL, let apiKey, let model)?:
                return "OpenAI-compatible \(baseURL), model \(model), key \(apiKey == nil ? "(not set)" : "(set)")"
            case .ollama(let host, let model, let timeout)?:
                return "Ollama \(host), model \(model), timeout \(timeout.components.seconds) s"
            }
        }
    }

    /// The settings the shell scripts need, resolved with their defaults, as
    /// `export NAME='value'` lines for `eval`.
    struct Shell: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the stack settings as shell exports.")

        func run() throws {
            let config = try loadConfig()
            var exports: [(String, String)] = [
                ("VAR_DIR", config.server.varDirectory),
                ("HTTP_PORT", "\(config.server.httpPort)"),
                ("MAX_BODY_BYTES", "\(config.server.maxBodyBytes)"),
                ("HANDLER_PROCESSES", "\(config.server.handlerProcesses)"),
                ("NGINX_WORKERS", config.server.nginxWorkers),
                ("WORKER_PROCESSES", "\(try config.environment.int("WORKER_PROCESSES", default: 1, in: 1...16))"),
                ("LOCAL_AWS", "\(config.local.aws)"),
                ("LOCAL_AWS_PORT", "\(config.local.awsPort)"),
                ("LOCAL_TWILIO", "\(config.local.twilio)"),
                ("TWILIO_SIM_PORT", "\(config.local.twilioPort)"),
                ("LOCAL_LLM", "\(try config.environment.bool("LOCAL_LLM", default: false))"),
                ("LOCAL_LLM_PORT", "\(try config.environment.int("LOCAL_LLM_PORT", default: 4568, in: 1...65535))"),
                ("TTS_OUTPUT_DIR", config.tts.outputDirectory),
            ]
            // Local mode settings every process of the stack (the simulator too) must share.
            if config.local.aws {
                for name in ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"] {
                    if let value = config.awsEnvironment[name] { exports.append((name, value)) }
                }
            }
            // Where the console's audio element fetches presigned recordings from
            // (its Content-Security-Policy names that origin); empty means AWS itself.
            exports.append(("S3_ENDPOINT_URL", AWSConfiguration(environment: config.awsEnvironment).endpointOverride(for: "s3") ?? ""))
            if config.local.twilio {
                exports += [
                    ("TWILIO_ACCOUNT_SID", config.twilio.accountSID ?? ""),
                    ("TWILIO_AUTH_TOKEN", config.twilio.authToken ?? ""),
                    ("TWILIO_API_BASE_URL", config.twilio.apiBaseURL),
                    ("TWILIO_PHONE_NUMBER", config.twilio.phoneNumber ?? ""),
                    ("PUBLIC_URL", config.voice.publicURL ?? ""),
                ]
            }
            for (name, value) in exports {
                print("export \(name)='\(value.replacingOccurrences(of: "'", with: "'\\''"))'")
            }
        }
    }
}

/// Loads the configuration; its errors name the variable and print without usage text.
func loadConfig() throws -> AppConfig {
    try AppConfig.load()
}
