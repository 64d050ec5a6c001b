import Foundation
import HTTPClient
import Logging

/// A synchronous DynamoDB client (JSON protocol 1.0).
///
/// Safe to share between threads; each thread reuses its own connection. Every
/// call retries as the SDKs' standard mode does and accepts `AWSCallOptions` for a
/// deadline.
///
/// ```swift
/// let dynamo = DynamoDBClient(configuration: AWSConfiguration(environment: env), logger: logger)
/// try dynamo.putItem(table: "VoiceAssistant_Agents", value: agent)
/// let agent = try dynamo.getItem(Agent.self, table: "VoiceAssistant_Agents", key: ["agent_id": "sales-001"])
/// ```
public final class DynamoDBClient: Sendable {
    /// The URL requests go to (`https://dynamodb.<region>.amazonaws.com` or the override).
    public let endpoint: String
    let executor: AWSRequestExecutor
    let logger: Logger
    let encoder = DynamoDBEncoder()
    let decoder = DynamoDBDecoder()

    /// A client for the configuration's region and endpoint.
    ///
    /// - Parameter retryStrategy: replaces the standard strategy (tests use short delays).
    public init(configuration: AWSConfiguration, httpClient: HTTPClient = .shared,
                logger: Logger = Logger(label: "dynamodb"), retryStrategy: RetryStrategy? = nil) {
        endpoint = configuration.endpointOverride(for: "dynamodb")
            ?? "https://dynamodb.\(configuration.region).\(configuration.dnsSuffix)"
        executor = AWSRequestExecutor(configuration: configuration, signingName: "dynamodb", http: httpClient,
                                      logger: logger, strategy: retryStrategy)
        self.logger = logger
    }

    init(endpoint: String, executor: AWSRequestExecutor, logger: Logger) {
        self.endpoint = endpoint
        self.executor = executor
        self.logger = logger
    }

    /// Sends one operation and returns its JSON answer.
    func call(_ operation: String, _ body: [String: JSON], options: AWSCallOptions) throws(DynamoDBError) -> JSON {
        let request = AWSRequest(
            method: "POST", url: endpoint + "/",
            headers: [
                ("Content-Type", "application/x-amz-json-1.0"),
                ("X-Amz-Target", "DynamoDB_20120810.\(operation)"),
            ],
            body: .bytes(JSON.object(body).bytes))
        let response: HTTPResponse
        do {
            response = try executor.perform(request, operation: operation, options: options)
        } catch {
            throw DynamoDBError(error)
        }
        guard !response.body.isEmpty else { return .object([:]) }
        do {
            return try JSON.parse(response.body)
        } catch {
            throw DynamoDBError.invalidResponse("\(operation): \(error)")
        }
    }

    static func expressionFields(names: [String: String], values: DynamoDBItem) -> [String: JSON] {
        var fields: [String: JSON] = [:]
        if !names.isEmpty { fields["ExpressionAttributeNames"] = .object(names.mapValues { .string($0) }) }
        if !values.isEmpty { fields["ExpressionAttributeValues"] = AttributeValue.json(item: values) }
        return fields
    }

    func item(_ json: JSON?, _ operation: String) throws(DynamoDBError) -> DynamoDBItem? {
        guard let json, json != .null else { return nil }
        do {
            return try AttributeValue.item(json: json)
        } catch {
            throw DynamoDBError.invalidResponse("\(operation): \(error)")
        }
    }

    func encode<T: Encodable>(_ value: T) throws(DynamoDBError) -> DynamoDBItem {
        do { return try encoder.encode(value) } catch { throw DynamoDBError.validation(message: "cannot encode \(T.self): \(error)") }
    }

    func decode<T: Decodable>(_ type: T.Type, _ item: DynamoDBItem) throws(DynamoDBError) -> T {
        do { return try decoder.decode(type, from: item) } catch {
            throw DynamoDBError.invalidResponse("cannot decode \(T.self): \(error)")
        }
    }
}

/// What an update or delete returns.
public enum DynamoDBReturnValues: String, Sendable {
    case none = "NONE"
    case allOld = "ALL_OLD"
    case updatedOld = "UPDATED_OLD"
    case allNew = "ALL_NEW"
    case updatedNew = "UPDATED_NEW"
}
