import Foundation
import SessionDB
import Voice

/// The kinds of outbox job the voice flows enqueue and the worker performs, and
/// the payload keys they carry.
public enum VoiceJob {
    /// Create the call record that could not be written when the call was answered.
    public static let createRecord = "create-record"
    /// Write the session's transcript and collected data to the call record.
    public static let sync = "sync"
    /// Write the final record (status, duration, recording URL…) and retire the session.
    public static let finalize = "finalize"
    /// Copy the call's recording from Twilio to S3.
    public static let recording = "recording"
    /// Ask the LLM for the call's summary, data and success, after its final record.
    public static let analyze = "analyze"
    /// POST the call's report to its agent's `webhook_url`, after the final record (and its analysis).
    public static let webhook = "webhook"

    /// Every kind, so gauges can say 0 of a kind with no job.
    public static let kinds = [createRecord, sync, finalize, recording, analyze, webhook]

    /// At most one pending write of the session per call: a sync (or the record's
    /// creation) reads the session when it runs, so a newer one merges into a
    /// pending one; a pending finalization writes everything and makes them moot.
    public static let policy = OutboxPolicy(rules: [
        createRecord: .init(slot: "session", coalesces: true),
        sync: .init(slot: "session", coalesces: true),
        finalize: .init(slot: "final", coalesces: false, supersedes: ["session"]),
    ])

    /// A transcript sync of `session` as it is now; its version rides along.
    public static func transcriptSync(_ session: Session, now: Date = Date()) -> OutboxJob {
        make(sync, callSid: session.callSid, payload: ["version": String(session.version)], now: now)
    }

    /// The outbox jobs a turn's outcome calls for, to commit with its session.
    public static func jobs(for outcome: TurnOutcome, now: Date) -> [OutboxJob] {
        outcome.jobs.contains(.syncTranscript) ? [transcriptSync(outcome.session, now: now)] : []
    }

    /// A job about call `callSid`, due now.
    public static func make(_ kind: String, callSid: String, payload: [String: String] = [:], now: Date = Date()) -> OutboxJob {
        let seconds = now.timeIntervalSince1970
        return OutboxJob(kind: kind, subject: callSid, payload: payload, notBefore: seconds, now: seconds)
    }
}
