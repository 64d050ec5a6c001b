import Foundation

/// A job waiting in the outbox: work for the worker (a transcript sync, a call's
/// finalization, a recording upload) recorded durably before anyone acts on it.
public struct OutboxJob: Codable, Sendable, Equatable {
    public let id: String
    /// What to do, e.g. "sync", "finalize", "recording".
    public let kind: String
    /// What it is about, e.g. a call SID.
    public let subject: String
    /// Small parameters of the job.
    public var payload: [String: String]
    /// Attempts that failed so far.
    public var attempts: Int
    /// Not to be run before this time (seconds since 1970); also the lease of a
    /// claimed job: a claim moves it into the future.
    public var notBefore: Double
    public let createdAt: Double
    public var lastError: String?
    public var firstFailureAt: Double?
    /// The worker holding the current lease, for `voicectl outbox`.
    public var claimedBy: String?
    /// When the last "still failing" error line was logged (once per hour).
    public var lastAlertAt: Double?

    public init(kind: String, subject: String, payload: [String: String] = [:], notBefore: Double, now: Double) {
        self.id = OutboxJob.makeID()
        self.kind = kind
        self.subject = subject
        self.payload = payload
        self.attempts = 0
        self.notBefore = notBefore
        self.createdAt = now
    }

    private static func makeID() -> String {
        // Unique across processes without coordination: 96 random bits.
        var generator = SystemRandomNumberGenerator()
        return String(generator.next() as UInt64, radix: 36) + String(UInt32.random(in: .min ... .max, using: &generator), radix: 36)
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, subject, payload, attempts
        case notBefore = "not_before"
        case createdAt = "created_at"
        case lastError = "last_error"
        case firstFailureAt = "first_failure_at"
        case claimedBy = "claimed_by"
        case lastAlertAt = "last_alert_at"
    }
}

/// A job handed to one worker until `lease` expires; if the worker dies, the job
/// becomes due again and another worker takes it. Jobs therefore run at least
/// once and must be idempotent.
public struct ClaimedJob: Sendable {
    public let job: OutboxJob
    let key: String
}

/// The durable queue of jobs in SessionDB, ordered by due time.
///
/// Keys are `<due time in ms, 15 digits>|<id>`, so the due jobs are a prefix of
/// the key order and claiming is a short cursor walk. Enqueueing takes the caller's
/// write transaction, so a state change and the job it causes commit together.
public struct Outbox: Sendable {
    private let store: Store<OutboxJob>

    public init(database: SessionDB, name: String) throws {
        store = try database.store(name, of: OutboxJob.self)
    }

    static func key(_ job: OutboxJob) -> String {
        let millis = max(0, Int64((job.notBefore * 1000).rounded()))
        let digits = String(millis)
        return String(repeating: "0", count: max(0, 15 - digits.count)) + digits + "|" + job.id
    }

    /// Adds `job` inside the caller's write transaction.
    public func enqueue(_ job: OutboxJob, in txn: Transaction) throws {
        try txn.put(store, Self.key(job), job)
    }

    /// Takes up to `limit` due jobs for `worker`, leasing each for `lease` seconds.
    public func claim(in database: SessionDB, now: Double, lease: Double, worker: String, limit: Int = 16) throws -> [ClaimedJob] {
        try database.write { txn in
            var due: [(String, OutboxJob)] = []
            try txn.scan(store) { key, job in
                guard job.notBefore <= now else { return false }
                due.append((key, job))
                return due.count < limit
            }
            return try due.map { key, job in
                var leased = job
                leased.notBefore = now + lease
                leased.claimedBy = worker
                try txn.delete(store, key)
                let newKey = Self.key(leased)
                try txn.put(store, newKey, leased)
                return ClaimedJob(job: leased, key: newKey)
            }
        }
    }

    /// Removes a finished job. A job whose lease ran out and that another worker
    /// took meanwhile is no longer under this key, and stays with that worker.
    public func complete(_ claimed: ClaimedJob, in database: SessionDB) throws {
        try database.write { txn in _ = try txn.delete(store, claimed.key) }
    }

    /// Puts a failed job back, due again at `retryAt`, keeping its error.
    /// Returns the job as stored, or nil when it was no longer ours.
    @discardableResult
    public func fail(_ claimed: ClaimedJob, error: String, retryAt: Double, now: Double, alerted: Bool = false,
                     in database: SessionDB) throws -> OutboxJob? {
        try database.write { txn in
            guard var job = try txn.get(store, claimed.key) else { return nil }
            try txn.delete(store, claimed.key)
            job.attempts += 1
            job.lastError = String(error.prefix(500))
            job.firstFailureAt = job.firstFailureAt ?? now
            job.notBefore = retryAt
            job.claimedBy = nil
            if alerted { job.lastAlertAt = now }
            try txn.put(store, Self.key(job), job)
            return job
        }
    }

    /// Makes due now every claimed job whose worker `isGone` says has died, so
    /// its work resumes at once instead of when the lease runs out. Returns how
    /// many were released.
    @discardableResult
    public func releaseClaims(in database: SessionDB, now: Double, isGone: (String) -> Bool) throws -> Int {
        try database.write { txn in
            var orphaned: [(String, OutboxJob)] = []
            try txn.scan(store) { key, job in
                if let owner = job.claimedBy, job.notBefore > now, isGone(owner) { orphaned.append((key, job)) }
                return true
            }
            for (key, job) in orphaned {
                var released = job
                released.notBefore = now
                released.claimedBy = nil
                try txn.delete(store, key)
                try txn.put(store, Self.key(released), released)
            }
            return orphaned.count
        }
    }

    /// Makes every job waiting for a retry due now (after the cause of its
    /// failures was fixed); jobs held by a worker are left alone. Returns how many.
    @discardableResult
    public func retryNow(in database: SessionDB, now: Double) throws -> Int {
        try releaseClaims(in: database, now: now) { _ in false } + database.write { txn in
            var waiting: [(String, OutboxJob)] = []
            try txn.scan(store) { key, job in
                if job.claimedBy == nil, job.notBefore > now { waiting.append((key, job)) }
                return true
            }
            for (key, job) in waiting {
                var due = job
                due.notBefore = now
                try txn.delete(store, key)
                try txn.put(store, Self.key(due), due)
            }
            return waiting.count
        }
    }

    /// Every job, soonest due first.
    public func all(in database: SessionDB) throws -> [OutboxJob] {
        try database.read { txn in try txn.all(store).map(\.value) }
    }

    /// Every job inside the caller's transaction.
    public func all(in txn: Transaction) throws -> [OutboxJob] {
        try txn.all(store).map(\.value)
    }
}
