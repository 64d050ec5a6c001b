import ArgumentParser
import Common
import Foundation
import SessionDB

struct SessionDBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessiondb",
        abstract: "Inspect and exercise the local SessionDB.",
        subcommands: [Stats.self, Counter.self, StressIncrement.self, SessionBench.self]
    )

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print map size, use, readers and entry counts as JSON.")

        func run() throws {
            let db = try openSessionDB()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(db.statistics()), as: UTF8.self))
        }
    }

    /// Reads a counter written by `stress-increment`.
    struct Counter: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the value of a counter in the meta database.")

        @Option(help: "Counter key.") var key: String

        func run() throws {
            let db = try openSessionDB()
            print(try db.get(db.store(SessionDBLayout.meta, of: Int.self), key) ?? 0)
        }
    }

    /// Many atomic read-modify-writes of one key: the contention and crash test
    /// of the store. Prints each committed value when asked, so a test that kills
    /// the process knows what was committed.
    struct StressIncrement: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stress-increment",
            abstract: "Atomically increment a counter many times (contention test)."
        )

        @Option(help: "Counter key.") var key: String
        @Option(help: "How many increments.") var times: Int = 1000
        @Flag(help: "Print every committed value.") var verbose = false

        func run() throws {
            let db = try openSessionDB()
            let counters = try db.store(SessionDBLayout.meta, of: Int.self)
            var last = 0
            for _ in 0..<times {
                last = try db.update(counters, key) { value -> Int in
                    value = (value ?? 0) + 1
                    return value!
                }
                if verbose {
                    // Unbuffered, so a killed process has printed exactly what it committed.
                    FileHandle.standardOutput.write(Data("\(last)\n".utf8))
                }
            }
            if !verbose { print(last) }
        }
    }
}

func openSessionDB() throws -> SessionDB {
    let config = try loadConfig()
    return try SessionDB(options: config.sessionDB, databases: SessionDBLayout.databases)
}
