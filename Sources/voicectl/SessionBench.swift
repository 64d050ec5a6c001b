import ArgumentParser
import Common
import Foundation
import SessionDB
import Voice
import VoiceService

/// What reading and writing a session costs a turn, in a SessionDB of its own:
/// the store's read (snapshot) and optimistic write (commit) of a session with
/// a realistic agent, five past calls and a transcript of each size, beside
/// what JSON would cost for the same session.
struct SessionBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session-bench",
        abstract: "Print the CPU of a session's read and write per transcript length (no stack needed)."
    )

    @Option(help: "Repetitions of each measure.") var count = 2000

    func run() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("session-bench-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try SessionDB(options: SessionDBOptions(directory: directory, mapSizeBytes: 1 << 28),
                                     databases: SessionDBLayout.databases)
        let store = try SessionStore(database: database)
        print("lines  stored B  JSON B   read µs  commit µs  JSON decode µs  JSON encode µs")
        for lines in [0, 10, 20, 40, 60] {
            let session = Self.sample(lines: lines)
            let callSid = session.callSid + String(lines)
            _ = try store.commit(callSid, replacing: nil, with: session, jobs: [])
            let storedSize = try database.read { txn in
                try txn.bytes(database.rawStore(SessionDBLayout.sessions), callSid)?.count ?? 0
            }
            let json = try JSONEncoder().encode(session)
            let read = try Self.microseconds(count) { _ = try store.snapshot(callSid) }
            var snapshot = try store.snapshot(callSid)
            let commit = try Self.microseconds(count) {
                guard var next = snapshot?.session else { return }
                next.version += 1
                _ = try store.commit(callSid, replacing: snapshot, with: next, jobs: [])
                snapshot = try store.snapshot(callSid)
            }
            let decode = try Self.microseconds(count) { _ = try JSONDecoder().decode(Session.self, from: json) }
            let encode = try Self.microseconds(count) { _ = try JSONEncoder().encode(session) }
            print(String(format: "%5d  %8d  %6d  %8.1f  %9.1f  %14.1f  %14.1f",
                         lines, storedSize, json.count, read, commit - read, decode, encode))
        }
    }

    /// Process CPU (user + system) per repetition of `body`, in microseconds.
    static func microseconds(_ count: Int, _ body: () throws -> Void) rethrows -> Double {
        let start = processCPUSeconds()
        for _ in 0..<count { try body() }
        return (processCPUSeconds() - start) * 1e6 / Double(count)
    }

    static func sample(lines: Int) -> Session {
        let agent = SeedAgents.customerSupport
        let now = Timestamp(Date())
        let past = (0..<5).map { index in
            PastCall(callSid: "CA\(index)" + String(repeating: "0", count: 31), startedAt: now, status: .completed,
                     endedBy: .user, durationSeconds: 60,
                     dataCollected: ["customer_name": "Sam Smith", "email": "sam@example.com"],
                     summary: "customer_name: Sam Smith; email: sam@example.com; issue: the router keeps dropping")
        }
        var session = Session(callSid: "CA" + String(repeating: "ab", count: 16), agent: agent, direction: .outbound,
                              recipientPhone: "+15551234567", callerPhone: "+15557654321", pastCalls: past,
                              startedAt: now)
        for line in 0..<lines {
            session.append(line % 2 == 0 ? .user : .assistant,
                           "Line \(line) of the conversation, about as long as a sentence said on the phone.",
                           at: now, confidence: line % 2 == 0 ? 0.92 : nil)
        }
        session.dataCollected = ["customer_name": "Sam Smith"]
        session.phase = .collecting
        session.currentField = "email"
        return session
    }
}
