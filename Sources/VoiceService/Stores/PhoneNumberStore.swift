import AWS
import Foundation

/// A number of ours and the agent that answers it (`VoiceAssistant_PhoneNumbers`).
public struct PhoneNumberAssignment: Codable, Sendable, Equatable {
    public var phoneNumber: String
    public var assignedAgentId: String?
    public var friendlyName: String?
    public var createdAt: String?
    public var updatedAt: String?

    public init(phoneNumber: String, assignedAgentId: String?, friendlyName: String? = nil,
                createdAt: String? = nil, updatedAt: String? = nil) {
        self.phoneNumber = phoneNumber
        self.assignedAgentId = assignedAgentId
        self.friendlyName = friendlyName
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case phoneNumber = "phone_number"
        case assignedAgentId = "assigned_agent_id"
        case friendlyName = "friendly_name"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// `VoiceAssistant_PhoneNumbers`: which agent answers which of our numbers.
public struct PhoneNumberStore: Sendable {
    private let dynamo: DynamoDBClient
    private let table: String

    public init(dynamo: DynamoDBClient, table: String) {
        self.dynamo = dynamo
        self.table = table
    }

    public func assignment(for number: String, options: AWSCallOptions = .standard) throws -> PhoneNumberAssignment? {
        try dynamo.getItem(PhoneNumberAssignment.self, table: table, key: ["phone_number": .string(number)],
                           options: options)
    }

    public func assign(_ assignment: PhoneNumberAssignment, options: AWSCallOptions = .standard) throws {
        try dynamo.putItem(table: table, value: assignment, options: options)
    }

    /// Every number, sorted (a Scan: an operator has a handful of numbers).
    public func all(options: AWSCallOptions = .standard) throws -> [PhoneNumberAssignment] {
        try dynamo.scanAll(DynamoDBScan(table: table), options: options)
            .map { try DynamoDBDecoder().decode(PhoneNumberAssignment.self, from: $0) }
            .sorted { $0.phoneNumber < $1.phoneNumber }
    }

    /// Removes a number; false when it was not there.
    public func remove(_ number: String, options: AWSCallOptions = .standard) throws -> Bool {
        do {
            _ = try dynamo.deleteItem(table: table, key: ["phone_number": .string(number)],
                                      condition: "attribute_exists(phone_number)", options: options)
            return true
        } catch .conditionalCheckFailed {
            return false
        }
    }
}
