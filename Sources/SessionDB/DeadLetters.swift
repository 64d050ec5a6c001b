import Foundation

/// A job given up for good (its target refused it in a way no retry can fix),
/// kept for the operator to read and, once the cause is fixed, to requeue.
public struct DeadLetter: Codable, Sendable, Equatable {
    public var job: OutboxJob
    public var reason: String
    /// Seconds since 1970.
    public var buriedAt: Double

    enum CodingKeys: String, CodingKey {
        case job, reason
        case buriedAt = "buried_at"
    }
}

/// The dead letters of an outbox, in SessionDB beside it, keyed like the
/// outbox (`<time>|<id>`) so they list oldest first.
public struct DeadLetters: Sendable {
    let store: Store<DeadLetter>

    public init(database: SessionDB, name: String) throws {
        store = try database.store(name, of: DeadLetter.self)
    }

    public func all(in database: SessionDB) throws -> [DeadLetter] {
        try database.read { txn in try txn.all(store).map(\.value) }
    }
}

extension Outbox {
    /// Moves a claimed job out of the outbox into `deadLetters`, in one
    /// transaction. Nothing happens when the job is no longer this claim's.
    public func bury(_ claimed: ClaimedJob, reason: String, now: Double, into deadLetters: DeadLetters,
                     in database: SessionDB) throws {
        try database.write { txn in
            guard var job = try txn.get(store, claimed.key) else { return }
            try txn.delete(store, claimed.key)
            try finishRunning(claimed, in: txn)
            job.attempts += 1
            job.lastError = String(reason.prefix(500))
            job.claimedBy = nil
            let letter = DeadLetter(job: job, reason: String(reason.prefix(500)), buriedAt: now)
            try txn.put(deadLetters.store, Self.key(job), letter)
        }
    }

    /// Puts every dead letter back in the outbox, due now. Returns how many.
    @discardableResult
    public func requeue(_ deadLetters: DeadLetters, now: Double, in database: SessionDB) throws -> Int {
        try database.write { txn in
            let letters = try txn.all(deadLetters.store)
            for (key, letter) in letters {
                var job = letter.job
                job.notBefore = now
                job.attempts = 0
                job.firstFailureAt = nil
                try txn.delete(deadLetters.store, key)
                try enqueue(job, in: txn)
            }
            return letters.count
        }
    }
}
