import AWS
import ArgumentParser
import Common
import CryptoCore
import Foundation
import Logging
import Remo
import RemoService
import VoiceService

/// The original Remo setup script's checks: environment, the four remo tables,
/// and a user-isolation self-test with two throwaway users.
struct RemoSetupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remo-setup",
        abstract: "Check the chat assistant's AWS setup: credentials, region, the four remo tables (created when missing) and user isolation.")

    @Flag(help: "Only report missing tables; do not create them.")
    var noCreate = false

    @Flag(help: "Skip the isolation self-test (it writes and then deletes a few items).")
    var skipSelfTest = false

    func run() throws {
        let config = try loadConfig()
        let aws = AWSConfiguration(environment: config.awsEnvironment)
        let dynamo = DynamoDBClient(configuration: aws, logger: Logger(label: "voicectl"))
        var report = SetupReport()

        report.section("Remo AI Assistant: DynamoDB setup")
        print("Region: \(aws.region)")
        if let endpoint = aws.endpointOverride(for: "dynamodb") { print("Endpoint: \(endpoint)") }

        report.section("Environment")
        report.check("AWS region is set", !aws.region.isEmpty, detail: aws.region)
        do {
            let credentials = try aws.credentialProvider.credentials()
            report.check("AWS credentials found", true, detail: "access key …\(credentials.accessKeyId.suffix(4))")
        } catch {
            report.check("AWS credentials found", false, detail: "\(error)")
        }
        let privyReady = config.remo.privyAppId != nil && config.remo.privyVerificationKey != nil
        report.note(privyReady ? "✓ PRIVY_APP_ID and PRIVY_VERIFICATION_KEY are set"
                               : "! PRIVY_APP_ID / PRIVY_VERIFICATION_KEY not set: the chat endpoints answer 503 until they are")
        if report.failed > 0 { return try report.finish() }

        report.section("Tables")
        let remoNames = [config.tables.reminders, config.tables.todos, config.tables.users, config.tables.conversations]
        for table in DataModel(config.tables).tables where remoNames.contains(table.definition.name) {
            ensure(table, dynamo: dynamo, report: &report)
        }
        if report.failed > 0 || skipSelfTest { return try report.finish() }

        report.section("User isolation self-test")
        IsolationSelfTest(stores: RemoStores(dynamo: dynamo, tables: config.tables, logger: Logger(label: "voicectl")))
            .run(&report)
        try report.finish()
    }

    /// The table exists (or is created now, when allowed), is active, and expires items by `ttl`.
    private func ensure(_ table: DataModel.Table, dynamo: DynamoDBClient, report: inout SetupReport) {
        let name = table.definition.name
        do {
            if try dynamo.tableIfExists(name) == nil {
                guard !noCreate else {
                    report.check("\(name) exists", false, detail: "missing (run without --no-create to create it)")
                    return
                }
                do {
                    _ = try dynamo.createTable(table.definition)
                } catch .resourceInUse {
                    // Someone else is creating it at the same moment; waiting below is enough.
                }
                _ = try dynamo.waitUntilActive(name)
                report.check("\(name) created", true)
            } else {
                report.check("\(name) exists", true)
            }
            if let attribute = table.ttlAttribute {
                let ttl = try dynamo.describeTimeToLive(table: name)
                if ttl.status != "ENABLED" && ttl.status != "ENABLING" {
                    guard !noCreate else {
                        report.check("\(name) TTL on '\(attribute)'", false, detail: "not enabled")
                        return
                    }
                    try dynamo.updateTimeToLive(table: name, attribute: attribute)
                }
                report.check("\(name) TTL on '\(attribute)'", true)
            }
        } catch {
            report.check("\(name) is usable", false, detail: "\(error)")
        }
    }
}

/// Writes as user A, checks that user B sees and changes none of it through the
/// stores, then removes everything both wrote.
struct IsolationSelfTest {
    let stores: RemoStores

    func run(_ report: inout SetupReport) {
        let suffix = SecureRandom.hexString(byteCount: 6)
        let a = stores.user("did:privy:remo-setup-a-\(suffix)")
        let b = stores.user("did:privy:remo-setup-b-\(suffix)")
        let now = Date()
        defer { cleanUp([a, b], &report) }
        do {
            let reminder = try Reminder.new(userId: a.userId, title: "remo-setup check", remindingTime: now + 3600,
                                            timeZone: TimeZone(identifier: "UTC")!, now: now)
            let todo = try Todo.new(userId: a.userId, title: "remo-setup check", priority: .high, now: now)
            try a.reminders.save(reminder)
            try a.todos.save(todo)
            _ = try a.profile.apply([try ProfileUpdate(field: .email, rawValue: "remo-setup@example.com")], now: now)
            try a.conversations.appendExchange(message: "hello", reply: "hi", at: now)

            report.check("A sees its reminder", try a.reminders.list(status: .pending, now: now).map(\.reminderId) == [reminder.reminderId])
            report.check("A sees its todo by status and by priority",
                         try a.todos.list(status: .pending, now: now).map(\.todoId) == [todo.todoId]
                             && a.todos.list(priority: .high, now: now).map(\.todoId) == [todo.todoId])
            report.check("A's profile is stored", try a.profile.profile()?.email == "remo-setup@example.com")
            report.check("A's conversation memory keeps order", try a.conversations.recent(now: now).map(\.content) == ["hello", "hi"])

            report.check("B lists no reminders or todos", try b.reminders.list(now: now).isEmpty && b.todos.list(now: now).isEmpty)
            report.check("B has no profile or messages", try b.profile.profile() == nil && b.conversations.recent(now: now).isEmpty)
            report.check("B cannot read A's items by id",
                         try b.reminders.reminder(reminder.reminderId, now: now) == nil && b.todos.todo(todo.todoId, now: now) == nil)
            report.check("B cannot change A's items",
                         try b.reminders.updateStatus(reminder.reminderId, to: .cancelled, now: now) == nil
                             && b.todos.updateStatus(todo.todoId, to: .done, now: now) == nil)
            report.check("B cannot delete A's items",
                         try b.reminders.delete(reminder.reminderId, now: now) == nil && b.todos.delete(todo.todoId, now: now) == nil)
            report.check("A's items are unchanged",
                         try a.reminders.reminder(reminder.reminderId, now: now)?.status == .pending
                             && a.todos.todo(todo.todoId, now: now)?.status == .pending)
            report.check("A can complete its reminder",
                         try a.reminders.updateStatus(reminder.reminderId, to: .done, now: now)?.status == .done)
        } catch {
            report.check("self-test ran", false, detail: "\(error)")
        }
    }

    private func cleanUp(_ users: [UserData], _ report: inout SetupReport) {
        do {
            for user in users {
                _ = try user.reminders.deleteAll()
                _ = try user.todos.deleteAll()
                _ = try user.conversations.deleteAll()
                _ = try user.profile.delete()
            }
            let now = Date()
            let left = try users.map { try $0.reminders.list(now: now).count + $0.todos.list(now: now).count
                + $0.conversations.recent(now: now).count + ($0.profile.profile() == nil ? 0 : 1) }.reduce(0, +)
            report.check("test users cleaned up", left == 0, detail: left == 0 ? nil : "\(left) items left")
        } catch {
            report.check("test users cleaned up", false, detail: "\(error)")
        }
    }
}

/// Lines of ✓ and ✗, then a verdict; a failure makes the command exit non-zero.
struct SetupReport {
    private(set) var passed = 0
    private(set) var failed = 0

    mutating func check(_ what: String, _ ok: Bool, detail: String? = nil) {
        if ok { passed += 1 } else { failed += 1 }
        print("\(ok ? "✓" : "✗") \(what)\(detail.map { ": \($0)" } ?? "")")
    }

    func note(_ line: String) { print(line) }

    func section(_ title: String) {
        print("\n--- \(title) ---")
    }

    func finish() throws {
        print("\n" + String(repeating: "=", count: 60))
        if failed == 0 {
            print("✓ Remo setup complete: \(passed) checks passed.")
        } else {
            print("✗ Remo setup: \(failed) of \(passed + failed) checks failed.")
        }
        print(String(repeating: "=", count: 60))
        if failed > 0 { throw CLIError("\(failed) check(s) failed") }
    }
}
