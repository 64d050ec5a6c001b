import AWS
import ArgumentParser
import Common
import Foundation
import Logging
import VoiceService

struct TablesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tables",
        abstract: "Create or verify the seven DynamoDB tables (idempotent).",
        subcommands: [Create.self, Verify.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create every missing table with its keys, indexes and TTL, then verify them.")

        func run() throws {
            let context = try AWSContext()
            context.banner("DynamoDB Table Creation")
            print("\n--- Creating Tables ---")
            var created = 0
            var indexesAdded = 0
            for table in context.model.tables {
                let name = table.definition.name
                if let existing = try context.aws({ try context.dynamo.tableIfExists(name) }) {
                    print("✓ Table \(name) already exists")
                    indexesAdded += try addMissingIndexes(table.definition, existing: existing, context: context)
                } else {
                    print("✓ Creating table: \(name)")
                    do {
                        _ = try context.dynamo.createTable(table.definition)
                        created += 1
                    } catch .resourceInUse {
                        print("✓ Table \(name) is being created by someone else")
                    } catch {
                        throw CLIError("cannot create \(name): \(error)")
                    }
                    _ = try context.aws { try context.dynamo.waitUntilActive(name) }
                    print("✓ Table \(name) created successfully!")
                }
                if let attribute = table.ttlAttribute {
                    let ttl = try context.aws { try context.dynamo.describeTimeToLive(table: name) }
                    if ttl.status == "ENABLED" || ttl.status == "ENABLING" {
                        print("  TTL on '\(attribute)' already enabled")
                    } else {
                        try context.aws { try context.dynamo.updateTimeToLive(table: name, attribute: attribute) }
                        print("  TTL enabled on '\(attribute)'")
                    }
                }
            }
            let problems = try verify(context)
            context.rule()
            if problems.isEmpty {
                if created == 0 && indexesAdded == 0 {
                    print("✓ All tables already existed and are active; nothing changed.")
                } else {
                    print("✓ All tables created and active! (\(created) new, \(indexesAdded) index(es) added)")
                }
            }
            context.rule()
            if !problems.isEmpty { throw CLIError("\(problems.count) problem(s): " + problems.joined(separator: "; ")) }
        }
    }

    /// Indexes added since the table was made (tables brought over from the
    /// original system lack ours). Returns how many were added.
    static func addMissingIndexes(_ definition: DynamoDBTableDefinition, existing: DynamoDBTableDescription,
                                  context: AWSContext) throws -> Int {
        var added = 0
        for index in definition.globalSecondaryIndexes where existing.globalSecondaryIndexes[index.name] == nil {
            print("✓ Adding index \(index.name) to \(definition.name) (DynamoDB fills it in the background)")
            try context.aws { try context.dynamo.addGlobalSecondaryIndex(index, table: definition.name) }
            _ = try context.aws { try context.dynamo.waitUntilActive(definition.name) }
            added += 1
        }
        return added
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check that every table exists and is as designed.")

        func run() throws {
            let context = try AWSContext()
            context.banner("DynamoDB Table Verification")
            let problems = try verify(context)
            context.rule()
            print(problems.isEmpty ? "✓ All tables are present and active." : "✗ \(problems.count) problem(s) found.")
            context.rule()
            if !problems.isEmpty { throw CLIError(problems.joined(separator: "; ")) }
        }
    }

    /// Checks status, keys, indexes, billing and TTL of every table; prints one
    /// line each and returns the problems.
    static func verify(_ context: AWSContext) throws -> [String] {
        print("\n--- Verifying Tables ---")
        var problems: [String] = []
        for table in context.model.tables {
            let definition = table.definition
            guard let description = try context.aws({ try context.dynamo.tableIfExists(definition.name) }) else {
                print("✗ \(definition.name): missing")
                problems.append("\(definition.name) is missing")
                continue
            }
            var issues: [String] = []
            let keys = [definition.partitionKey.name] + (definition.sortKey.map { [$0.name] } ?? [])
            if description.keySchema != keys { issues.append("keys \(description.keySchema) instead of \(keys)") }
            for index in definition.globalSecondaryIndexes where description.globalSecondaryIndexes[index.name] == nil {
                issues.append("index \(index.name) missing")
            }
            if let mode = description.billingMode, mode != "PAY_PER_REQUEST" { issues.append("billing \(mode)") }
            if let attribute = table.ttlAttribute {
                let ttl = try context.aws { try context.dynamo.describeTimeToLive(table: definition.name) }
                if ttl.status != "ENABLED" && ttl.status != "ENABLING" { issues.append("TTL on '\(attribute)' not enabled") }
            }
            if issues.isEmpty && description.status == "ACTIVE" {
                print("✓ \(definition.name): ACTIVE")
            } else {
                let text = ([description.status == "ACTIVE" ? nil : description.status] + issues.map(Optional.some))
                    .compactMap { $0 }.joined(separator: ", ")
                print("✗ \(definition.name): \(text)")
                problems.append("\(definition.name): \(text)")
            }
        }
        return problems
    }
}

/// Configuration and clients for the AWS-facing commands.
struct AWSContext {
    let config: AppConfig
    let aws: AWSConfiguration
    let dynamo: DynamoDBClient
    let model: DataModel

    init() throws {
        config = try loadConfig()
        aws = AWSConfiguration(environment: config.awsEnvironment)
        dynamo = DynamoDBClient(configuration: aws, logger: Logger(label: "voicectl"))
        model = DataModel(config.tables)
    }

    func banner(_ title: String) {
        rule()
        print("\(title)")
        rule()
        print("Region: \(aws.region)")
        if let endpoint = aws.endpointOverride(for: "dynamodb") { print("Endpoint: \(endpoint)") }
        for table in model.tables { print("Table: \(table.definition.name)") }
        rule()
    }

    func rule() { print(String(repeating: "=", count: 60)) }

    /// Runs an AWS call, turning its error into one readable line.
    func aws<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw CLIError("\(error)")
        }
    }
}

/// An error printed as its message alone (no usage text).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
