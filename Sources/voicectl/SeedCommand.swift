import AWS
import ArgumentParser
import Foundation
import Voice
import VoiceService

struct SeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Write the four seed agents (customer-support-001, sales-001, hindi-support-001, default); "
            + "agents that exist are left as they are."
    )

    func run() throws {
        let context = try AWSContext()
        let table = context.config.tables.agents
        print("Seeding agents into \(table)")
        var written = 0
        for agent in SeedAgents.all(createdAt: Timestamp(Date())) {
            do {
                try context.dynamo.putItem(table: table, value: agent, condition: "attribute_not_exists(agent_id)")
                written += 1
                print("✓ \(agent.agentId): created (\(agent.name), \(agent.language), \(agent.voice))")
            } catch .conditionalCheckFailed {
                print("✓ \(agent.agentId): already present, unchanged")
            } catch {
                throw CLIError("cannot write \(agent.agentId): \(error)")
            }
        }
        print(written == 0 ? "Nothing to do: every seed agent was already present." : "\(written) agent(s) created.")
    }
}

struct NumbersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "numbers",
        abstract: "Our phone numbers and the agents that answer them.",
        subcommands: [Assign.self, Show.self]
    )

    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Assign an agent to one of our numbers (inbound calls).")

        @Argument(help: "The number, E.164 (+15550100199).") var number: String
        @Option(help: "The agent that answers it.") var agent: String
        @Option(help: "A label for people.") var name: String?

        func run() throws {
            guard PhoneNumber.isE164(number) else { throw CLIError("\(number) is not an E.164 number") }
            let context = try AWSContext()
            let store = PhoneNumberStore(dynamo: context.dynamo, table: context.config.tables.phoneNumbers)
            let now = Timestamp(Date()).description
            try context.aws {
                try store.assign(PhoneNumberAssignment(phoneNumber: number, assignedAgentId: agent, friendlyName: name,
                                                       createdAt: now, updatedAt: now))
            }
            // The stack's shared cache of assignments forgets the old answer at once.
            if let database = try? openSessionDB() {
                try NumberDirectory(database: database, numbers: nil, ttlSeconds: 0).invalidate(number)
            }
            print("✓ \(number) is answered by \(agent)")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show which agent answers a number.")

        @Argument(help: "The number, E.164.") var number: String

        func run() throws {
            let context = try AWSContext()
            let store = PhoneNumberStore(dynamo: context.dynamo, table: context.config.tables.phoneNumbers)
            let assignment = try context.aws { try store.assignment(for: number) }
            print(assignment.map { "\(number) -> \($0.assignedAgentId ?? "(none)")" } ?? "\(number) is not one of ours")
        }
    }
}
