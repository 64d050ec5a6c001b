import ArgumentParser
import Common
import Foundation
import SessionDB
import VoiceService

/// `voicectl outbox`: what the worker has yet to do, and what keeps failing.
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Show pending and retrying jobs of the outbox (oldest age, last errors)."
    )

    @Flag(help: "Print the jobs as JSON.") var json = false
    @Flag(help: "Print only the counts as JSON: pending, retrying, coalesced, moot.") var counts = false
    @Flag(help: "Make every job waiting for a retry due now (after fixing what made it fail).") var retryNow = false

    func run() throws {
        let database = try openSessionDB()
        let outbox = try SessionStore(database: database).outbox
        let now = Date().timeIntervalSince1970
        if retryNow {
            print("\(try outbox.retryNow(in: database, now: now)) job(s) made due now")
        }
        let jobs = try outbox.all(in: database)
        let saved = try outbox.counts(in: database)
        if counts {
            let line: [String: Int] = ["pending": jobs.count, "retrying": jobs.filter { $0.attempts > 0 }.count,
                                       "coalesced": saved.coalesced, "moot": saved.moot]
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

    static func age(_ seconds: Double) -> String {
        let value = Int(seconds.rounded())
        if value < 120 { return "\(value)s" }
        if value < 7200 { return "\(value / 60)m" }
        return "\(value / 3600)h"
    }

    static func row(_ cells: [String]) -> String {
        let widths = [14, 36, 9, 8, 6, 22]
        return cells.enumerated().map { index, cell in
            index < widths.count ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) : cell
        }.joined(separator: " ")
    }
}
