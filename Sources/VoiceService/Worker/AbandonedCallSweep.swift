import Foundation
import Logging
import SessionDB
import Voice

/// Closes the calls whose end Twilio never reported: a session idle past
/// `abandonAfter` with no finalization pending gets one, as `abandoned`.
struct AbandonedCallSweep: Sendable {
    let sessions: SessionStore
    let abandonAfter: Double
    let logger: Logger

    /// Closes every abandoned call at `now`; a failure is logged and the next sweep tries again.
    func run(now: Double) {
        do {
            for callSid in try candidates(now: now) where try close(callSid, now: now) {
                logger.warning("call abandoned", metadata: ["call_sid": "\(callSid)"])
            }
        } catch {
            logger.error("abandoned-call sweep failed", metadata: ["reason": "\(error)"])
        }
    }

    /// The calls that look abandoned at `now`, read from a snapshot outside any
    /// write transaction (a sweep must not hold the host's write lock while it
    /// reads every session).
    func candidates(now: Double) throws -> [String] {
        let pending = Set(try sessions.outbox.all(in: sessions.database)
            .filter { $0.kind == VoiceJob.finalize }.map(\.subject))
        return try sessions.all()
            .filter { now - $0.lastActivityAt.date.timeIntervalSince1970 > abandonAfter && !pending.contains($0.callSid) }
            .map(\.callSid)
    }

    /// Enqueues the abandoned finalization of `callSid`. Returns whether it did.
    func close(_ callSid: String, now: Double) throws -> Bool {
        try sessions.update(callSid) { _, jobs in
            jobs.append(VoiceJob.make(VoiceJob.finalize, callSid: callSid, payload: [
                "status": CallStatus.abandoned.rawValue, "received_at": String(now),
            ]))
            return true
        }
    }
}
