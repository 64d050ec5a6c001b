import Foundation
import Logging
import Metrics
import SessionDB

/// One attempt at a claimed job, and what the outbox keeps of it: a job done is
/// removed; a job that failed is put back, due again after its `Backoff`, and
/// its failure logged as a warning, or as an error once it has failed for five
/// minutes and then once an hour (`shouldAlert`), so a lasting outage is
/// visible without an error line per retry.
struct JobAttempt: Sendable {
    let sessions: SessionStore
    /// Does the job's work; throwing means "not done, try again later".
    let perform: @Sendable (OutboxJob) throws -> JobOutcome
    let backoff: Backoff
    let clock: WorkerClock
    let logger: Logger
    var metrics: MetricsRegistry = .shared

    /// Performs `claimed` and settles it in the outbox. `concurrency` names the
    /// worker's current limit on a failure's warning line.
    func run(_ claimed: ClaimedJob, concurrency: () -> Int) -> AdaptiveLimit.Outcome {
        let job = claimed.job
        let started = DispatchTime.now().uptimeNanoseconds
        defer {
            metrics.observe(.workerJobDuration, [Label("kind", Self.kindLabel(job.kind))],
                            Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        }
        do {
            let outcome = try perform(job)
            try sessions.outbox.complete(claimed, in: sessions.database)
            count(job, outcome.rawValue)
            logger.debug("job done", metadata: [
                "kind": "\(job.kind)", "call_sid": "\(job.subject)",
                "micros": "\((DispatchTime.now().uptimeNanoseconds - started) / 1000)",
            ])
            return .success
        } catch let refusal as PermanentJobFailure {
            bury(claimed, refusal)
            count(job, JobOutcome.dropped.rawValue)
            return .success
        } catch {
            return failed(claimed, error: error, concurrency: concurrency)
        }
    }

    /// A job no retry can complete leaves the outbox for its dead letters.
    private func bury(_ claimed: ClaimedJob, _ refusal: PermanentJobFailure) {
        let job = claimed.job
        logger.error("job given up: dead-lettered", metadata: [
            "kind": "\(job.kind)", "call_sid": "\(job.subject)", "attempts": "\(job.attempts + 1)",
            "reason": "\(refusal.reason)",
        ])
        do {
            try sessions.outbox.bury(claimed, reason: refusal.reason, now: clock.now(), into: sessions.deadLetters,
                                     in: sessions.database)
        } catch {
            logger.error("cannot dead-letter a job", metadata: ["reason": "\(error)"])
        }
    }

    private func failed(_ claimed: ClaimedJob, error: any Error, concurrency: () -> Int) -> AdaptiveLimit.Outcome {
        let job = claimed.job
        let now = clock.now()
        let attempts = job.attempts + 1
        let retryAt = now + backoff.delay(afterAttempts: attempts, unit: clock.jitter())
        let alert = shouldAlert(firstFailureAt: job.firstFailureAt ?? now, lastAlertAt: job.lastAlertAt, now: now)
        let fields: Logger.Metadata = [
            "kind": "\(job.kind)", "call_sid": "\(job.subject)", "attempts": "\(attempts)",
            "retry_in": "\(Int(retryAt - now))", "reason": "\(error)",
        ]
        let outcome = AdaptiveLimit.outcome(of: error)
        count(job, "retry")
        if alert {
            logger.error("job still failing; kept for retry", metadata: fields)
        } else {
            logger.warning("job failed; will retry", metadata: fields.merging(
                ["concurrency": "\(concurrency())", "overload": "\(outcome == .overloaded)"]) { a, _ in a })
        }
        do {
            try sessions.outbox.fail(claimed, error: "\(error)", retryAt: retryAt, now: now, alerted: alert,
                                     in: sessions.database)
        } catch {
            // The lease runs out and the job is taken again: nothing is lost.
            logger.error("cannot record a job failure", metadata: ["reason": "\(error)"])
        }
        return outcome
    }

    private func count(_ job: OutboxJob, _ outcome: String) {
        metrics.increment(.workerJobs, [Label("kind", Self.kindLabel(job.kind)), Label("outcome", outcome)])
    }

    /// A kind the worker does not know is counted as `other`, so a stray job
    /// cannot add series.
    static func kindLabel(_ kind: String) -> String {
        VoiceJob.kinds.contains(kind) ? kind : "other"
    }
}

/// Thrown by a job whose target refused it in a way no retry can change (a
/// webhook receiver's 4xx other than 408 and 429): the job is dead-lettered.
struct PermanentJobFailure: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}
