import AWS
import ArgumentParser
import Common
import Foundation
import Voice
import VoiceService

/// `voicectl calls`: the call history, read from DynamoDB with the same
/// filters and validation as `GET /calls`.
struct CallsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls",
        abstract: "List past and live calls, or show one with its transcript.",
        subcommands: [List.self, Show.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Calls, newest first.")
        @Option(help: "Only this agent's calls.") var agent: String?
        @Option(help: "Only calls with this number (E.164).") var recipient: String?
        @Option(help: "Only calls with this status (completed, no-answer, …).") var status: String?
        @Option(help: "From this date or date-time (ISO 8601).") var since: String?
        @Option(help: "Through this date or date-time (ISO 8601).") var until: String?
        @Option(help: "How many calls at most (1 to 1000).") var limit: Int = 20
        @Flag(help: "One JSON object per line instead of a table.") var json = false

        func run() throws {
            let pairs: [(name: String, value: String)] = [
                ("agent_id", agent), ("recipient", recipient), ("status", status), ("since", since), ("until", until),
                ("limit", String(limit)),
            ].compactMap { name, value in value.map { (name, $0) } }
            let listing = try AgentsCommand.refusals { try CallListingQuery(FormFields(pairs), maximumLimit: 1_000) }
            let history = try CallsCommand.history()
            var after: CallPosition?
            var shown = 0
            repeat {
                let page = try AgentsCommand.refusals {
                    try history.page(listing.filter, after: after, limit: min(100, listing.limit - shown))
                }
                for record in page.calls {
                    try CallsCommand.printLine(record, json: json)
                    shown += 1
                }
                after = page.next
            } while after != nil && shown < listing.limit
            if !json { Swift.print("\(shown) call(s)") }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One call's record as JSON, with its transcript.")
        @Argument(help: "The call's SID.") var callSid: String

        func run() throws {
            let context = try AWSContext()
            let calls = CallStore(dynamo: context.dynamo, table: context.config.tables.calls)
            guard let record = try AgentsCommand.refusals({ try calls.record(callSid) }) else {
                throw CLIError("no call '\(callSid)'")
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Swift.print(String(decoding: try encoder.encode(record), as: UTF8.self))
        }
    }

    static func history() throws -> CallHistory {
        let context = try AWSContext()
        return CallHistory(calls: CallStore(dynamo: context.dynamo, table: context.config.tables.calls))
    }

    static func printLine(_ record: CallRecord, json: Bool) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            Swift.print(String(decoding: try encoder.encode(CallSummary(record)), as: UTF8.self))
            return
        }
        func column(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        Swift.print(column(record.callSid, 36) + " " + column(record.startedAt.description, 25) + " "
                    + column(record.agentId, 22) + " " + column(record.recipientPhone, 16) + " "
                    + column(record.status.rawValue, 12) + " " + (record.durationSeconds.map { "\($0)s" } ?? "-"))
    }
}
