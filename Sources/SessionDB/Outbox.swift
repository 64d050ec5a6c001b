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
    /// Jobs merged into this one while it waited (see `OutboxPolicy`).
    public var merged: Int?

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
        case merged
    }
}

/// A job handed to one worker until `lease` expires; if the worker dies, the job
/// becomes due again and another worker takes it. Jobs therefore run at least
/// once and must be idempotent.
public struct ClaimedJob: Sendable {
    public let job: OutboxJob
    let key: String
}

/// How jobs about the same subject make each other redundant while they wait.
///
/// A job's *slot* groups kinds that do the same work: a job that reads the
/// subject's current state when it runs (a transcript sync) does everything
/// an older pending job of its slot would have, so at most one waits per
/// subject and slot, and a newer one merges into it. A kind may also make the
/// pending jobs of other slots moot (the finalization writes everything a sync
/// would), and jobs of those slots enqueued while it waits are dropped.
public struct OutboxPolicy: Sendable {
    public struct Rule: Sendable {
        public var slot: String
        /// At most one pending job per subject in this slot.
        public var coalesces: Bool
        /// Slots whose pending jobs this kind makes moot.
        public var supersedes: [String]

        public init(slot: String, coalesces: Bool, supersedes: [String] = []) {
            self.slot = slot
            self.coalesces = coalesces
            self.supersedes = supersedes
        }
    }

    public var rules: [String: Rule]

    public init(rules: [String: Rule]) {
        self.rules = rules
    }

    public static let none = OutboxPolicy(rules: [:])

    /// Slots that make a job of `slot` moot while one of them is pending.
    func slotsSuperseding(_ slot: String) -> [String] {
        Array(Set(rules.values.filter { $0.supersedes.contains(slot) }.map(\.slot)))
    }
}

/// What coalescing has saved since the store was created.
public struct OutboxCounts: Codable, Sendable, Equatable {
    /// Jobs merged into a pending job of the same slot.
    public var coalesced: Int
    /// Jobs dropped because a pending job of a superseding slot does their work.
    public var moot: Int

    public init(coalesced: Int, moot: Int) {
        self.coalesced = coalesced
        self.moot = moot
    }
}

/// The durable queue of jobs in SessionDB, ordered by due time.
///
/// Keys are `<due time in ms, 15 digits>|<id>`, so the due jobs are a prefix of
/// the key order and claiming is a short cursor walk. Enqueueing takes the caller's
/// write transaction, so a state change and the job it causes commit together.
/// A second database indexes the pending jobs the policy names by subject and
/// slot (`<subject>\u{1F}<slot>` to their key) and keeps the counts.
public struct Outbox: Sendable {
    let store: Store<OutboxJob>
    private let index: Store<String>?
    private let policy: OutboxPolicy

    /// `indexName` must be given (and the same in every process) for the
    /// policy to apply; without it every job is kept.
    public init(database: SessionDB, name: String, indexName: String? = nil, policy: OutboxPolicy = .none) throws {
        store = try database.store(name, of: OutboxJob.self)
        index = try indexName.map { try database.store($0, of: String.self) }
        self.policy = index == nil ? .none : policy
    }

    static func key(_ job: OutboxJob) -> String {
        let millis = max(0, Int64((job.notBefore * 1000).rounded()))
        let digits = String(millis)
        return String(repeating: "0", count: max(0, 15 - digits.count)) + digits + "|" + job.id
    }

    private static func indexKey(_ subject: String, _ slot: String) -> String {
        subject + "\u{1F}" + slot
    }

    private static let coalescedCounter = "#coalesced"
    private static let mootCounter = "#moot"

    /// Adds `job` inside the caller's write transaction, unless the policy
    /// finds a pending job that does its work (then that one absorbs it).
    public func enqueue(_ job: OutboxJob, in txn: Transaction) throws {
        guard let index, let rule = policy.rules[job.kind] else {
            try txn.put(store, Self.key(job), job)
            return
        }
        for slot in policy.slotsSuperseding(rule.slot) {
            if try pending(slot, of: job.subject, in: txn, index: index) != nil {
                try count(Self.mootCounter, in: txn, index: index)
                return
            }
        }
        for slot in rule.supersedes {
            if let (key, _) = try pending(slot, of: job.subject, in: txn, index: index) {
                try txn.delete(store, key)
                try txn.delete(index, Self.indexKey(job.subject, slot))
                try count(Self.mootCounter, in: txn, index: index)
            }
        }
        if rule.coalesces, let (key, found) = try pending(rule.slot, of: job.subject, in: txn, index: index) {
            var waiting = found
            waiting.payload.merge(job.payload) { _, newer in newer }
            waiting.merged = (waiting.merged ?? 0) + 1
            try txn.put(store, key, waiting)
            try count(Self.coalescedCounter, in: txn, index: index)
            return
        }
        let key = Self.key(job)
        try txn.put(store, key, job)
        try txn.put(index, Self.indexKey(job.subject, rule.slot), key)
    }

    /// The unclaimed job of `subject` waiting in `slot`, with its key.
    private func pending(_ slot: String, of subject: String, in txn: Transaction,
                         index: Store<String>) throws -> (String, OutboxJob)? {
        guard let key = try txn.get(index, Self.indexKey(subject, slot)) else { return nil }
        guard let job = try txn.get(store, key), job.claimedBy == nil else {
            try txn.delete(index, Self.indexKey(subject, slot))  // stale: the job was taken
            return nil
        }
        return (key, job)
    }

    private func count(_ counter: String, in txn: Transaction, index: Store<String>) throws {
        let current = try txn.get(index, counter).flatMap { Int($0) } ?? 0
        try txn.put(index, counter, String(current + 1))
    }

    /// Keeps the index on a job that moved from `oldKey` to `newKey` and waits
    /// again (a failure, a released claim). A coalescing job that finds a newer
    /// one waiting in its slot is dropped: the newer one does its work. Returns
    /// false when the job was dropped.
    private func reindex(_ job: OutboxJob, from oldKey: String?, to newKey: String, in txn: Transaction) throws -> Bool {
        guard let index, let rule = policy.rules[job.kind] else { return true }
        let indexKey = Self.indexKey(job.subject, rule.slot)
        if let current = try txn.get(index, indexKey), current != oldKey, try txn.get(store, current) != nil {
            if rule.coalesces {
                try txn.delete(store, newKey)
                try count(Self.coalescedCounter, in: txn, index: index)
                return false
            }
            return true
        }
        try txn.put(index, indexKey, newKey)
        return true
    }

    /// Forgets the index entry of a job that a worker takes.
    private func unindex(_ job: OutboxJob, key: String, in txn: Transaction) throws {
        guard let index, let rule = policy.rules[job.kind] else { return }
        let indexKey = Self.indexKey(job.subject, rule.slot)
        if try txn.get(index, indexKey) == key { try txn.delete(index, indexKey) }
    }

    private static func runningKey(_ subject: String) -> String {
        indexKey(subject, "#running")
    }

    /// Whether a job of `subject` is in a worker's hands now (its lease not run
    /// out). A mark left by one that finished, was released or expired is
    /// removed when `pruning` (in a write transaction).
    private func isRunning(_ subject: String, now: Double, in txn: Transaction, index: Store<String>,
                           pruning: Bool = true) throws -> Bool {
        guard let key = try txn.get(index, Self.runningKey(subject)) else { return false }
        guard let job = try txn.get(store, key), job.claimedBy != nil, job.notBefore > now else {
            if pruning { try txn.delete(index, Self.runningKey(subject)) }
            return false
        }
        return true
    }

    /// Whether `claim` would find a job now, read without taking the host's write
    /// lock: an idle worker asks this first, so watching an outbox with nothing
    /// due writes nothing.
    public func hasDueJob(in database: SessionDB, now: Double) throws -> Bool {
        try database.read { txn in
            var found = false
            try txn.scan(store) { _, job in
                guard job.notBefore <= now else { return false }
                if let index, try isRunning(job.subject, now: now, in: txn, index: index, pruning: false) { return true }
                found = true
                return false
            }
            return found
        }
    }

    /// Takes up to `limit` due jobs for `worker`, leasing each for `lease` seconds.
    /// With an index, the jobs of one subject run one at a time, in order
    /// (the record's creation before the finalization of the same call),
    /// while those of different subjects run in parallel.
    public func claim(in database: SessionDB, now: Double, lease: Double, worker: String, limit: Int = 16) throws -> [ClaimedJob] {
        try database.write { txn in
            var due: [(String, OutboxJob)] = []
            var taken = Set<String>()
            try txn.scan(store) { key, job in
                guard job.notBefore <= now else { return false }
                if let index {
                    if taken.contains(job.subject) { return true }
                    if try isRunning(job.subject, now: now, in: txn, index: index) { return true }
                    taken.insert(job.subject)
                }
                due.append((key, job))
                return due.count < limit
            }
            return try due.map { key, job in
                var leased = job
                leased.notBefore = now + lease
                leased.claimedBy = worker
                try txn.delete(store, key)
                try unindex(job, key: key, in: txn)
                let newKey = Self.key(leased)
                try txn.put(store, newKey, leased)
                if let index { try txn.put(index, Self.runningKey(job.subject), newKey) }
                return ClaimedJob(job: leased, key: newKey)
            }
        }
    }

    /// Clears the running mark of a job leaving a worker's hands.
    func finishRunning(_ claimed: ClaimedJob, in txn: Transaction) throws {
        guard let index else { return }
        let key = Self.runningKey(claimed.job.subject)
        if try txn.get(index, key) == claimed.key { try txn.delete(index, key) }
    }

    /// Removes a finished job. A job whose lease ran out and that another worker
    /// took meanwhile is no longer under this key, and stays with that worker.
    public func complete(_ claimed: ClaimedJob, in database: SessionDB) throws {
        try database.write { txn in
            _ = try txn.delete(store, claimed.key)
            try finishRunning(claimed, in: txn)
        }
    }

    /// Puts a failed job back, due again at `retryAt`, keeping its error.
    /// Returns the job as stored, or nil when it was no longer ours or a newer
    /// job of its slot took over its work.
    @discardableResult
    public func fail(_ claimed: ClaimedJob, error: String, retryAt: Double, now: Double, alerted: Bool = false,
                     in database: SessionDB) throws -> OutboxJob? {
        try database.write { txn in
            guard var job = try txn.get(store, claimed.key) else { return nil }
            try txn.delete(store, claimed.key)
            try finishRunning(claimed, in: txn)
            job.attempts += 1
            job.lastError = String(error.prefix(500))
            job.firstFailureAt = job.firstFailureAt ?? now
            job.notBefore = retryAt
            job.claimedBy = nil
            if alerted { job.lastAlertAt = now }
            let key = Self.key(job)
            try txn.put(store, key, job)
            return try reindex(job, from: nil, to: key, in: txn) ? job : nil
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
                let newKey = Self.key(released)
                try txn.put(store, newKey, released)
                _ = try reindex(released, from: nil, to: newKey, in: txn)
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
                let newKey = Self.key(due)
                try txn.put(store, newKey, due)
                _ = try reindex(due, from: key, to: newKey, in: txn)
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

    /// What coalescing saved so far.
    public func counts(in database: SessionDB) throws -> OutboxCounts {
        guard let index else { return OutboxCounts(coalesced: 0, moot: 0) }
        return try database.read { txn in
            OutboxCounts(coalesced: try txn.get(index, Self.coalescedCounter).flatMap { Int($0) } ?? 0,
                         moot: try txn.get(index, Self.mootCounter).flatMap { Int($0) } ?? 0)
        }
    }
}
