import Foundation
import Logging
import SessionDB
import Voice

/// Closes the calls whose end Twilio never reported: a session idle past
/// `abandonAfter` with no final status gets one, `abandoned`, and its
/// finalization.
///
/// A session with a final status is waiting for the finalization queued with
/// it (Twilio's callback, or an earlier sweep): every producer of a finalize
/// job marks the session in the same transaction, so the mark alone tells,
/// inside the write, that the call is being closed already.
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
        // Also skipped: calls with a finalization pending but an unmarked session
        // (queued by a version that did not mark sessions).
        let pending = Set(try sessions.outbox.all(in: sessions.database)
            .filter { $0.kind == VoiceJob.finalize }.map(\.subject))
        return try sessions.all()
            .filter { isAbandoned($0, now: now) && !pending.contains($0.callSid) }
            .map(\.callSid)
    }

    /// Marks `callSid` abandoned and enqueues its finalization, if it still is
    /// abandoned. Returns whether it did.
    func close(_ callSid: String, now: Double) throws -> Bool {
        try sessions.update(callSid) { session, jobs in
            // Checked again inside the write: since the snapshot, Twilio may have
            // reported the call over (its finalization is queued), a worker may
            // have finalized it (no session), or the caller may have spoken.
            guard var current = session, isAbandoned(current, now: now) else { return false }
            current.finalStatus = .abandoned
            session = current
            jobs.append(VoiceJob.make(VoiceJob.finalize, callSid: callSid, payload: [
                "status": CallStatus.abandoned.rawValue, "received_at": String(now),
            ]))
            return true
        }
    }

    private func isAbandoned(_ session: Session, now: Double) -> Bool {
        session.finalStatus == nil && now - session.lastActivityAt.date.timeIntervalSince1970 > abandonAfter
    }
}
