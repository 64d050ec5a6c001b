import AWS
import Common
import Foundation
import HTTPClient
import LLM
import Logging
import SessionDB
import VoiceService

// The outbox worker: syncs transcripts, finalizes calls, archives recordings,
// closes abandoned calls. Runs under supervisord; several may run together.
let config: AppConfig
do {
    config = try AppConfig.load()
} catch {
    FileHandle.standardError.write(Data("invalid configuration: \(error)\n".utf8))
    exit(78)
}
bootstrapLogging(endpoint: "worker", level: config.logLevel)
let logger = Logger(label: "worker")

do {
    let database = try SessionDB(options: config.sessionDB, databases: SessionDBLayout.databases)
    let sessions = try SessionStore(database: database)
    let aws = AWSConfiguration(environment: config.awsEnvironment)
    let dynamo = config.voice.enableDynamoDB ? DynamoDBClient(configuration: aws, logger: Logger(label: "dynamodb")) : nil
    let calls = dynamo.map { CallStore(dynamo: $0, table: config.tables.calls) }
    var archiver: RecordingArchiver?
    if config.voice.enableDynamoDB, config.voice.enableS3Upload,
       let sid = config.twilio.accountSID, let token = config.twilio.authToken {
        archiver = RecordingArchiver(
            s3: S3Client(configuration: aws, logger: Logger(label: "s3")),
            twilio: TwilioClient(baseURL: config.twilio.apiBaseURL, accountSID: sid, authToken: token),
            bucket: config.recordings.bucket, prefix: config.recordings.prefix,
            scratchDirectory: config.server.varDirectory + "/tmp/recordings")
    }
    var settings = Worker.Settings()
    settings.threads = try config.environment.int("WORKER_THREADS", default: 16, in: 1...256)
    settings.initialConcurrency = try config.environment.int("WORKER_INITIAL_CONCURRENCY", default: 4, in: 1...256)
    settings.lease = Double(try config.environment.int("WORKER_LEASE_SECONDS", default: 60, in: 5...3600))
    settings.abandonAfter = Double(try config.environment.int("SESSION_ABANDON_SECONDS", default: 900, in: 10...86400))
    let archived = try ArchivedRecordings(database: sessions.database, name: SessionDBLayout.archivedRecordings)
    let analyst = config.llm.provider.map { provider in
        CallAnalyst(client: LLMClient(provider: provider), model: provider.model,
                    timeout: .seconds(config.llm.analysisTimeoutSeconds))
    }
    let agents = try AgentDirectory(
        database: database, cacheName: SessionDBLayout.agentCache,
        dynamo: dynamo, table: config.tables.agents, ttlSeconds: config.voice.agentCacheTTLSeconds, logger: logger)
    let webhooks = WebhookSender(
        transport: HTTPClient(logger: Logger(label: "webhooks")),
        timeout: .seconds(try config.environment.int("WEBHOOK_TIMEOUT_SECONDS", default: 10, in: 1...60)),
        userAgent: "voice-assistant-webhooks/\(BuildInfo.version)")
    let runner = JobRunner(sessions: sessions, calls: calls, archiver: archiver, archived: archived, analyst: analyst,
                           agents: agents, webhooks: webhooks, logger: logger)
    let publisher = try MetricsPublisher(process: "worker", database: database,
                                         settings: try .init(config.environment), logger: logger)
    publisher.start()
    Worker(sessions: sessions, runner: runner, settings: settings, logger: logger,
           preparedCalls: try PreparedCalls(database: database),
           speechFiles: SpeechFileSweep(directory: config.tts.outputDirectory, lifetime: config.tts.cleanupDelaySeconds))
        .run()
    publisher.stop()
} catch {
    logger.critical("cannot start", metadata: ["reason": "\(error)"])
    exit(1)
}
