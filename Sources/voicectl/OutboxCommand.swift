import ArgumentParser
import Common
import Foundation
import SessionDB
import VoiceService

/// `voicectl outbox`: what the worker has yet to do, and what keeps failing.
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Show pending and retrying jobs of the outbox (oldest age, last errors) and the dead letters."
    )

    @Flag(help: "Print the jobs as JSON.") var json = false
    @Flag(help: "Print only the counts as JSON: pending, retrying, coalesced, moot.") var counts = false
    @Flag(help: "Make every job waiting for a retry due now (after fixing what made it fail).") var retryNow = false
    @Flag(help: "Show the dead letters (jobs given up for good) instead of the pending jobs.") var dead = false
    @Flag(help: "Put every dead letter back in the outbox, due now (after fixing what refused it).") var requeueDead = false

    func run() throws {
        let database = try openSessionDB()
        let store = try SessionStore(database: database)
        let outbox = store.outbox
        let now = Date().timeIntervalSince1970
        if retryNow {
            print("\(try outbox.retryNow(in: database, now: now)) job(s) made due now")
        }
        if requeueDead {
            print("\(try outbox.requeue(store.deadLetters, now: now, in: database)) dead letter(s) put back, due now")
        }
        let letters = try store.deadLetters.all(in: database)
        if dead {
            try showDeadLetters(letters, now: now)
            return
        }
        let jobs = try outbox.all(in: database)
        let saved = try outbox.counts(in: database)
        if counts {
            let line: [String: Int] = ["pending": jobs.count, "retrying": jobs.filter { $0.attempts > 0 }.count,
                                       "coalesced": saved.coalesced, "moot": saved.moot, "dead": letters.count]
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(line), as: UTF8.self))
            return
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(jobs), as: UTF8.self))
            return
        }
        let retrying = jobs.filter { $0.attempts > 0 }
        let oldest = jobs.map(\.createdAt).min().map { now - $0 }
        print("pending: \(jobs.count)   retrying: \(retrying.count)   oldest: \(oldest.map(Self.age) ?? "-")")
        print("coalesced: \(saved.coalesced) merged into a pending write of the same call, "
              + "\(saved.moot) dropped as moot (the call's final write carried them)")
        if !letters.isEmpty {
            print("dead letters: \(letters.count) given up for good (`voicectl outbox --dead` lists them)")
        }
        guard !jobs.isEmpty else { return }
        print("")
        print(Self.row(["KIND", "CALL", "ATTEMPTS", "DUE IN", "AGE", "CLAIMED BY", "LAST ERROR"]))
        for job in jobs {
            print(Self.row([
                job.kind, job.subject, "\(job.attempts)", job.notBefore <= now ? "now" : Self.age(job.notBefore - now),
                Self.age(now - job.createdAt), job.claimedBy ?? "-", job.lastError.map { String($0.prefix(120)) } ?? "-",
            ]))
        }
    }

    private func showDeadLetters(_ letters: [DeadLetter], now: Double) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(letters), as: UTF8.self))
            return
        }
        print("dead letters: \(letters.count)")
        guard !letters.isEmpty else { return }
        print("")
        let widths = [14, 36, 9, 6]
        print(Self.row(["KIND", "CALL", "ATTEMPTS", "AGE", "REASON"], widths: widths))
        for letter in letters {
            print(Self.row([letter.job.kind, letter.job.subject, "\(letter.job.attempts)", Self.age(now - letter.buriedAt),
                            String(letter.reason.prefix(160))], widths: widths))
        }
    }

    static func age(_ seconds: Double) -> String {
        let value = Int(seconds.rounded())
        if value < 120 { return "\(value)s" }
        if value < 7200 { return "\(value / 60)m" }
        return "\(value / 3600)h"
    }

    static func row(_ cells: [String], widths: [Int] = [14, 36, 9, 8, 6, 22]) -> String {
        cells.enumerated().map { index, cell in
            index < widths.count ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) : cell
        }.joined(separator: " ")
    }
}
