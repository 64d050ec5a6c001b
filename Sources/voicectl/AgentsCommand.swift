import AWS
import ArgumentParser
import Common
import Foundation
import Logging
import SessionDB
import Voice
import VoiceService

/// `voicectl agents`: the original's `manage_agents.py` (list, get, create
/// FILE.json, deactivate) plus update, over the same rules as the HTTP API.
struct AgentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents",
        abstract: "List, read, create, change and deactivate agents (the original's agent JSON files).",
        subcommands: [List.self, Get.self, Create.self, Update.self, Deactivate.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Agents with a status, newest first.")
        @Option(help: "active, inactive or archived.") var status: String = "active"

        func run() throws {
            guard let status = AgentStatus(rawValue: status) else { throw CLIError("--status: active, inactive or archived") }
            let catalog = try AgentsCommand.catalog()
            var start: [String: String]?
            var shown = 0
            repeat {
                let page = try AgentsCommand.refusals { try catalog.store.page(status: status, limit: 100, after: start, options: .standard) }
                for agent in page.agents {
                    Swift.print("\(agent.agentId.padding(toLength: 24, withPad: " ", startingAt: 0)) "
                          + "\(agent.language.padding(toLength: 6, withPad: " ", startingAt: 0)) "
                          + "\(agent.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(agent.name)")
                    shown += 1
                }
                start = page.next
            } while start != nil
            Swift.print("\(shown) \(status.rawValue) agent(s)")
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One agent as JSON.")
        @Argument(help: "The agent's id.") var agentId: String

        func run() throws {
            let stored = try AgentsCommand.refusals { try AgentsCommand.catalog().stored(agentId, options: .standard) }
            try AgentsCommand.print(stored.agent)
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an agent from a JSON file (the original's format).")
        @Argument(help: "The agent's JSON file.") var file: String

        func run() throws {
            let object = try AgentsCommand.object(file)
            let agent = try AgentsCommand.refusals { try AgentsCommand.catalog().create(object, options: .standard) }
            Swift.print("created \(agent.agentId)")
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change an agent: the JSON file's fields replace the stored ones (null removes a data_to_fill field).")
        @Argument(help: "The agent's id.") var agentId: String
        @Argument(help: "A JSON file with the fields to change.") var file: String

        func run() throws {
            var patch = try AgentsCommand.object(file)
            patch["agent_id"] = patch["agent_id"] ?? agentId
            let agent = try AgentsCommand.refusals {
                try AgentsCommand.catalog().change(agentId, options: .standard) { JSONMergePatch.apply(patch, to: $0) }
            }
            Swift.print("updated \(agent.agentId)")
        }
    }

    struct Deactivate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set an agent inactive: it takes no new calls.")
        @Argument(help: "The agent's id.") var agentId: String

        func run() throws {
            _ = try AgentsCommand.refusals {
                try AgentsCommand.catalog().change(agentId, options: .standard) { current in
                    var object = current as? [String: Any] ?? [:]
                    object["status"] = AgentStatus.inactive.rawValue
                    return object
                }
            }
            Swift.print("deactivated \(agentId)")
        }
    }

    /// The catalog over DynamoDB, and the stack's shared cache when SessionDB is here.
    static func catalog() throws -> AgentCatalog {
        let context = try AWSContext()
        let store = AgentStore(dynamo: context.dynamo, table: context.config.tables.agents)
        let cache = try? AgentDirectory(database: openSessionDB(), cacheName: SessionDBLayout.agentCache, dynamo: nil,
                                        table: context.config.tables.agents,
                                        ttlSeconds: context.config.voice.agentCacheTTLSeconds,
                                        logger: Logger(label: "voicectl"))
        return AgentCatalog(store: store, cache: cache)
    }

    static func object(_ path: String) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw CLIError("\(path) is not a JSON object")
        }
        return object
    }

    /// Runs `body`, turning the catalog's refusals and AWS errors into one line.
    static func refusals<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as HTTPError {
            throw CLIError(error.detail)
        } catch let error as DynamoDBError {
            throw CLIError("DynamoDB: \(error)")
        }
    }

    static func print(_ agent: Agent) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Swift.print(String(decoding: try encoder.encode(agent), as: UTF8.self))
    }
}
