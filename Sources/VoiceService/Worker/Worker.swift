import Common
import Foundation
import Logging
import SessionDB
import Voice

/// The outbox worker: threads that claim due jobs and perform them, plus the
/// housekeeping of the store (flushing it to disk, releasing the jobs of dead
/// workers, closing abandoned calls). Several worker processes may run
/// together: claims are transactions, so no two take the same job.
public final class Worker: @unchecked Sendable {
    // @unchecked: immutable after init except `stopping`, which `lock` guards,
    // and `watched`, which `watch` guards.
    public struct Settings: Sendable {
        /// Jobs at most in progress at once (one thread each).
        public var threads = 16
        /// Jobs in progress at once when the worker starts; the limit then
        /// adapts between 1 and `threads` to how AWS answers.
        public var initialConcurrency = 4
        public var lease: Double = 60
        public var pollInterval: Double = 0.05
        /// A session without activity for this long, and without a final
        /// status, is closed as abandoned.
        public var abandonAfter: Double = 900
        public var backoff = Backoff()
        public init() {}
    }

    private let sessions: SessionStore
    private let runner: JobRunner
    private let settings: Settings
    private let clock: WorkerClock
    private let attempt: JobAttempt
    private let sweep: AbandonedCallSweep
    private let logger: Logger
    private let identity: String
    private let lock = NSCondition()
    private var stopping = false
    /// Guards `watched`: whether a thread is watching the outbox for due jobs.
    private let watch = NSCondition()
    private var watched = false
    private let concurrency: AdaptiveLimit
    private let preparedCalls: PreparedCalls?
    private let speechFiles: SpeechFileSweep?

    public init(sessions: SessionStore, runner: JobRunner, settings: Settings, logger: Logger,
                preparedCalls: PreparedCalls? = nil, speechFiles: SpeechFileSweep? = nil, clock: WorkerClock = .system) {
        self.speechFiles = speechFiles
        self.sessions = sessions
        self.runner = runner
        self.settings = settings
        self.logger = logger
        self.preparedCalls = preparedCalls
        self.clock = clock
        attempt = JobAttempt(sessions: sessions, perform: { job in try runner.perform(job) }, backoff: settings.backoff,
                             clock: clock, logger: logger)
        sweep = AbandonedCallSweep(sessions: sessions, abandonAfter: settings.abandonAfter, logger: logger)
        concurrency = AdaptiveLimit(initial: settings.initialConcurrency, maximum: settings.threads)
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count)
        let host = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        identity = "\(host):\(getpid())"
    }

    /// Runs until SIGTERM or SIGINT; the job in hand is finished first.
    public func run() {
        let signals = StopSignals.block()

        let group = DispatchGroup()
        for index in 0..<settings.threads {
            group.enter()
            let thread = Thread { [self] in
                work(as: "\(identity):\(index)")
                group.leave()
            }
            thread.name = "worker-\(index)"
            thread.start()
        }
        group.enter()
        Thread { [self] in
            housekeeping()
            group.leave()
        }.start()
        logger.info("worker started", metadata: ["threads": "\(settings.threads)", "id": "\(identity)"])

        _ = signals.wait()
        lock.lock()
        stopping = true
        lock.broadcast()
        lock.unlock()
        concurrency.wakeAll()
        watch.lock()
        watch.broadcast()
        watch.unlock()
        group.wait()
        try? sessions.database.flush()
        logger.info("worker stopped")
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    /// Sleeps up to `seconds`, waking early when the worker stops.
    private func pause(_ seconds: Double) {
        lock.lock()
        if !stopping { _ = lock.wait(until: Date().addingTimeInterval(seconds)) }
        lock.unlock()
    }

    /// One thread at a time watches the outbox; it hands the watch on as soon as
    /// it has claimed a job, so due jobs go out one after the other to as many
    /// threads as the concurrency limit allows, while an idle worker wakes one
    /// thread per poll interval rather than all of them.
    private func work(as worker: String) {
        while takeWatch() {
            guard concurrency.acquire(stopping: { isStopping }) else {
                handWatchOn()
                return
            }
            let job = nextJob(worker: worker)
            handWatchOn()
            guard let job else {
                concurrency.release(.failed)
                return
            }
            concurrency.release(attempt.run(job) { concurrency.current })
        }
    }

    /// Claims the next due job, polling; nil once the worker stops.
    private func nextJob(worker: String) -> ClaimedJob? {
        let outbox = sessions.outbox
        let database = sessions.database
        while !isStopping {
            let now = clock.now()
            do {
                if try outbox.hasDueJob(in: database, now: now),
                   let job = try outbox.claim(in: database, now: now, lease: settings.lease, worker: worker, limit: 1).first {
                    return job
                }
                pause(settings.pollInterval)
            } catch {
                logger.error("cannot claim jobs", metadata: ["reason": "\(error)"])
                pause(1)
            }
        }
        return nil
    }

    /// Waits until no other thread watches the outbox, then watches it; false
    /// once the worker stops.
    private func takeWatch() -> Bool {
        watch.lock()
        defer { watch.unlock() }
        while watched {
            if isStopping { return false }
            _ = watch.wait(until: Date().addingTimeInterval(1))
        }
        if isStopping { return false }
        watched = true
        return true
    }

    private func handWatchOn() {
        watch.lock()
        watched = false
        watch.signal()
        watch.unlock()
    }

    private func housekeeping() {
        var lastSweep = 0.0
        var lastReaderCheck = 0.0
        var lastSpeechSweep = 0.0
        while !isStopping {
            let now = clock.now()
            // Commits do not fsync (SESSIONDB_DURABILITY=none): this bounds what a
            // power loss could take to about a second.
            if sessions.database.options.durability == .none {
                do { try sessions.database.flush() } catch {
                    logger.error("cannot flush SessionDB", metadata: ["reason": "\(error)"])
                }
            }
            if now - lastReaderCheck >= 10 {
                lastReaderCheck = now
                sessions.database.clearStaleReaders()
                releaseJobsOfDeadWorkers(now: now)
            }
            if now - lastSweep >= min(30, settings.abandonAfter / 2) {
                lastSweep = now
                sweep.run(now: now)
                removeUnusedAgentSnapshots()
                pruneArchivedRecordings(now: now)
                if let preparedCalls { _ = try? preparedCalls.prune(now: now) }
            }
            if let speechFiles, now - lastSpeechSweep >= speechFiles.interval {
                lastSpeechSweep = now
                removeExpiredSpeech(speechFiles, now: now)
            }
            pause(1)
        }
    }

    private func removeUnusedAgentSnapshots() {
        do {
            let removed = try sessions.sweepAgentSnapshots()
            if removed > 0 { logger.debug("unused agent snapshots removed", metadata: ["snapshots": "\(removed)"]) }
        } catch {
            logger.error("agent snapshot sweep failed", metadata: ["reason": "\(error)"])
        }
    }

    private func removeExpiredSpeech(_ sweep: SpeechFileSweep, now: Double) {
        let removed = sweep.run(now: Date(timeIntervalSince1970: now))
        if removed > 0 { logger.info("expired speech files removed", metadata: ["files": "\(removed)"]) }
    }

    /// Jobs claimed by a worker process of this host that no longer exists are
    /// released at once (other hosts' claims expire with their lease).
    private func releaseJobsOfDeadWorkers(now: Double) {
        let host = identity.split(separator: ":").first.map(String.init) ?? ""
        do {
            let released = try sessions.outbox.releaseClaims(in: sessions.database, now: now) { owner in
                let parts = owner.split(separator: ":")
                guard parts.count >= 2, String(parts[0]) == host, let pid = Int32(parts[1]) else { return false }
                return kill(pid, 0) != 0 && errno == ESRCH
            }
            if released > 0 { logger.warning("released the jobs of a dead worker", metadata: ["jobs": "\(released)"]) }
        } catch {
            logger.error("cannot release jobs", metadata: ["reason": "\(error)"])
        }
    }

    private func pruneArchivedRecordings(now: Double) {
        do { try runner.archived.prune(now: now) } catch {
            logger.error("cannot prune archived recordings", metadata: ["reason": "\(error)"])
        }
    }
}
