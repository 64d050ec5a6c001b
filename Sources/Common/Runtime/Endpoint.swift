import Foundation
import Logging
import SessionDB

/// What a handler gets besides its request.
public struct RequestContext: Sendable {
    public let config: AppConfig
    public let sessionDB: SessionDB
    /// Carries the request id on every line it logs; flows add the call SID
    /// and hand it to the stores and clients they use.
    public var logger: Logger
    /// When the answer is due, counted from nginx's arrival time.
    public let deadline: Deadline
    /// When nginx received the request (seconds since 1970), if it said.
    public let receivedAt: Double?

    public init(config: AppConfig, sessionDB: SessionDB, logger: Logger, deadline: Deadline = .none,
                receivedAt: Double? = nil) {
        self.config = config
        self.sessionDB = sessionDB
        self.logger = logger
        self.deadline = deadline
        self.receivedAt = receivedAt
    }

    /// A deadline `limit` after the request's arrival, for work that has its
    /// own limit within the request (an LLM turn).
    public func deadline(after limit: Duration) -> Deadline {
        .after(limit, receivedAt: receivedAt)
    }
}

/// The start-up every endpoint executable shares: config, logging, SessionDB,
/// the FastCGI loop, and turning errors into `{error, detail}` answers.
public enum Endpoint {
    /// Runs endpoint `name` until SIGTERM, then exits. A bad configuration or an
    /// unopenable SessionDB is reported on one log line and ends the process with
    /// a non-zero status (supervisord shows it as FATAL after its retries).
    public static func run(
        _ name: String, traits: EndpointTraits,
        _ handler: @escaping @Sendable (Request, RequestContext) throws -> Response
    ) -> Never {
        run(name, traits: traits, prepare: { _ in () }) { request, context, _ in try handler(request, context) }
    }

    /// Like `run(_:_:)`, with per-process dependencies (clients, stores) that
    /// `prepare` builds once at start and every request then shares.
    public static func run<Service: Sendable>(
        _ name: String, traits: EndpointTraits,
        prepare: (RequestContext) throws -> Service,
        _ handler: @escaping @Sendable (Request, RequestContext, Service) throws -> Response
    ) -> Never {
        let config: AppConfig
        do {
            config = try AppConfig.load()
        } catch {
            LogSink.standardOutput.write(startupFailure(name, "invalid configuration: \(error)"))
            exit(78)  // EX_CONFIG
        }
        bootstrapLogging(endpoint: name, level: config.logLevel)
        let logger = Logger(label: name)
        let base: RequestContext
        let service: Service
        let server: FastCGIServer
        let threads: Int
        let publisher: MetricsPublisher
        do {
            threads = try config.handlerThreads(endpoint: name, traits: traits)
            let sessionDB = try SessionDB(options: config.sessionDB, databases: SessionDBLayout.databases)
            base = RequestContext(config: config, sessionDB: sessionDB, logger: logger)
            publisher = try MetricsPublisher(process: name, database: sessionDB, settings: try .init(config.environment),
                                             logger: logger)
            service = try prepare(base)
            let socket = try FastCGIServer.listeningSocket(environment: config.environment)
            server = try FastCGIServer(listenDescriptor: socket, threads: threads,
                                       maxBodyBytes: config.server.maxBodyBytes, logger: logger)
        } catch {
            logger.critical("cannot start", metadata: ["reason": "\(error)"])
            exit(1)
        }
        logger.info("started", metadata: [
            "pid": "\(getpid())", "threads": "\(threads)", "version": "\(BuildInfo.version)",
        ])
        let limit = config.deadline(for: traits)
        let requestMetrics = RequestMetrics(endpoint: name)
        publisher.start()
        server.run { request in
            let started = DispatchTime.now().uptimeNanoseconds
            var requestLogger = logger
            requestLogger[metadataKey: "request_id"] = "\(request.requestID)"
            let context = RequestContext(config: config, sessionDB: base.sessionDB, logger: requestLogger,
                                         deadline: .after(limit, receivedAt: request.receivedAt),
                                         receivedAt: request.receivedAt)
            if context.deadline.hasPassed {
                // It waited for a thread past its deadline: answered at once from
                // what SessionDB holds (every upstream wait has no time left).
                requestLogger.warning("request taken after its deadline", metadata: [
                    "path": "\(request.rawPath)",
                    "waited_ms": "\(request.receivedAt.map { Int((Date().timeIntervalSince1970 - $0) * 1000) } ?? -1)",
                ])
            }
            let response = respond(to: request, context: context) { request, context in
                try handler(request, context, service)
            }
            requestMetrics.record(request, status: response.status, startedUptime: started)
            return response
        }
        publisher.stop()
        exit(0)
    }

    /// Like `run(_:_:)`, with the requests routed by `routes` (built once, with
    /// the per-process dependencies `prepare` makes).
    public static func run<Service: Sendable>(
        _ name: String, traits: EndpointTraits,
        prepare: (RequestContext) throws -> Service,
        routes: Router<Service>
    ) -> Never {
        run(name, traits: traits, prepare: prepare) { request, context, service in
            try routes.handle(request, context: context, service: service)
        }
    }

    /// Calls the handler and maps what it throws: a `RenderableError` is
    /// answered as it says, anything else is logged and answered 500 without its details.
    public static func respond(
        to request: Request, context: RequestContext,
        _ handler: (Request, RequestContext) throws -> Response
    ) -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        let response: Response
        do {
            response = try handler(request, context)
        } catch let error as any RenderableError {
            response = error.response
        } catch {
            context.logger.error("request failed", metadata: [
                "method": "\(request.method)", "path": "\(request.rawPath)", "reason": "\(error)",
            ])
            response = .error(.internalError)
        }
        context.logger.debug("served", metadata: [
            "method": "\(request.method)", "path": "\(request.rawPath)", "status": "\(response.status)",
            "micros": "\((DispatchTime.now().uptimeNanoseconds - started) / 1000)",
        ])
        return response
    }

    private static func startupFailure(_ name: String, _ message: String) -> String {
        var line = JSONLine()
        line.add("time", LogClock.timestamp())
        line.add("level", "critical")
        line.add("endpoint", name)
        line.add("message", message)
        return line.finish()
    }
}

/// The named databases of the stack's SessionDB; every process opens the same set.
public enum SessionDBLayout {
    public static let sessions = "sessions"
    /// The agents live sessions were answered with, each stored once (see `AgentSnapshots`).
    public static let agentSnapshots = "agent_snapshots"
    public static let agentCache = "agents"
    public static let outbox = "outbox"
    /// The outbox's pending jobs by call and slot, and its coalescing counts.
    public static let outboxIndex = "outbox_index"
    /// What `/make-call` prepared for the answer of each call it placed.
    public static let preparedCalls = "prepared_calls"
    /// Our numbers' agent assignments, cached like agents.
    public static let numberCache = "numbers"
    public static let meta = "meta"
    /// The chat assistant's per-user conversation state (pending question, last listing).
    public static let remo = "remo"
    /// Recordings already copied to S3 (see `ArchivedRecordings`).
    public static let archivedRecordings = "archived_recordings"
    /// Outbox jobs given up for good, for the operator (see `DeadLetters`).
    public static let deadLetters = "dead_letters"
    /// What each process counted (see `MetricsStore`).
    public static let metrics = "metrics"
    public static let databases = [sessions, agentSnapshots, agentCache, outbox, outboxIndex, preparedCalls, numberCache, meta, remo,
                                   archivedRecordings, deadLetters, metrics]
}

/// The version every endpoint reports; `APP_COMMIT` is set by scripts/run from git.
public enum BuildInfo {
    public static let version = "0.1.0"

    public static let commit: String = ProcessInfo.processInfo.environment["APP_COMMIT"] ?? "unknown"
}
