import AWS
import Common
import Foundation
import LLM
import Logging
import Remo

/// Everything the chat endpoints share within one process, built once at start.
public struct RemoRuntime: Sendable {
    public let config: AppConfig
    public let stores: RemoStores
    public let chatState: ChatStateStore
    public let auth: RemoAuth
    public let clock: RemoClock
    public let understanding: any ChatUnderstanding
    public let composer = ReplyComposer()

    /// Builds the clients and stores once per process. Throws when
    /// `PRIVY_VERIFICATION_KEY` is set but is not a P-256 public key.
    public init(context: RequestContext) throws {
        config = context.config
        let dynamo = DynamoDBClient(configuration: AWSConfiguration(environment: config.awsEnvironment),
                                    logger: Logger(label: "dynamodb"))
        stores = RemoStores(dynamo: dynamo, tables: config.tables, logger: context.logger)
        chatState = try ChatStateStore(database: context.sessionDB, name: SessionDBLayout.remo)
        auth = try RemoAuth(config: config.remo)
        clock = RemoClock(fixed: config.remo.fixedNow)
        if let provider = config.llm.provider {
            understanding = LLMChatUnderstanding(client: LLMClient(provider: provider),
                                                 defaultTime: .milliseconds(config.llm.turnDeadlineMilliseconds))
        } else {
            understanding = RuleBasedUnderstanding()
        }
        if clock.isPinned {
            context.logger.warning("chat clock pinned by REMO_FIXED_NOW (local test setting)",
                                   metadata: ["now": "\(UTCTimestamp.string(from: clock.now))"])
        }
    }

    /// Runs `body`, turning what the stores and the domain throw into answers: a
    /// value a user sent that cannot be stored is 422 naming the field; DynamoDB
    /// trouble is 503 (logged with its cause, which the client does not see).
    func answering(_ logger: Logger, _ body: () throws -> Response) throws -> Response {
        do {
            return try body()
        } catch let error as ValidationError {
            throw HTTPError.unprocessable(error.description)
        } catch let error as RemoStoreError {
            logger.error("storage failed", metadata: ["reason": "\(error)"])
            throw HTTPError.serviceUnavailable("storage is unavailable right now; nothing was changed, try again")
        } catch let error as SessionDBFailure {
            logger.error("chat state failed", metadata: ["reason": "\(error.underlying)"])
            throw HTTPError.serviceUnavailable("conversation state is unavailable right now; try again")
        }
    }
}

/// A SessionDB error met while handling a chat, kept apart from HTTP errors.
struct SessionDBFailure: Error {
    let underlying: any Error
}
