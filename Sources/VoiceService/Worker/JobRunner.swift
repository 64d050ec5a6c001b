import AWS
import Foundation
import Logging
import SessionDB
import Voice

/// How a job that did not throw ended.
public enum JobOutcome: String, Sendable {
    /// Its work is done (or there was none left to do).
    case done
    /// Given up for good: no retry could do it.
    case dropped
}

/// Performs one outbox job. Every job is idempotent: a job can run twice (a
/// worker died after doing it but before removing it) without harm. Throwing
/// means "not done, try again later".
public struct JobRunner: Sendable {
    let sessions: SessionStore
    let calls: CallStore?
    let archiver: RecordingArchiver?
    let archived: ArchivedRecordings
    /// Nil when no LLM is configured: calls get no analysis.
    let analyst: CallAnalyst?
    /// Agents as they are now, for their webhooks; nil leaves webhooks unsent.
    let agents: AgentDirectory?
    let webhooks: WebhookSender?
    let logger: Logger
    /// How long one DynamoDB call of a job may take before the job is retried.
    let awsBudget: Duration

    public init(sessions: SessionStore, calls: CallStore?, archiver: RecordingArchiver?, archived: ArchivedRecordings,
                analyst: CallAnalyst? = nil, agents: AgentDirectory? = nil, webhooks: WebhookSender? = nil,
                logger: Logger, awsBudget: Duration = .seconds(10)) {
        self.sessions = sessions
        self.calls = calls
        self.archiver = archiver
        self.archived = archived
        self.analyst = analyst
        self.agents = agents
        self.webhooks = webhooks
        self.logger = logger
        self.awsBudget = awsBudget
    }

    /// Does `job`; `.dropped` when it was given up for good without doing its work.
    @discardableResult
    public func perform(_ job: OutboxJob, now: Date = Date()) throws -> JobOutcome {
        switch job.kind {
        case VoiceJob.createRecord:
            try createRecord(job.subject)
        case VoiceJob.sync:
            try sync(job.subject)
        case VoiceJob.finalize:
            try finalize(job, now: now)
        case VoiceJob.recording:
            return try archiveRecording(job, now: now)
        case VoiceJob.analyze:
            return try analyze(job, now: now)
        case VoiceJob.webhook:
            try sendWebhook(job, now: now)
        default:
            logger.error("unknown job kind dropped", metadata: ["kind": "\(job.kind)", "subject": "\(job.subject)"])
            return .dropped
        }
        return .done
    }

    /// The record of a call just answered: one conditional PutItem of the
    /// session as it is now. When the record exists already (this job ran
    /// before and its completion was lost), the newest state is synced instead.
    private func createRecord(_ callSid: String) throws {
        guard let calls, let session = try sessions.session(callSid) else { return }
        if try !calls.create(CallRecord(session: session, status: .inProgress), options: .within(awsBudget)) {
            try calls.sync(session, options: .within(awsBudget))
        }
    }

    private func sync(_ callSid: String) throws {
        // The session as it is now: a sync always writes the newest state, and
        // one already finalized has nothing left to sync.
        guard let calls, let session = try sessions.session(callSid) else { return }
        try calls.sync(session, options: .within(awsBudget))
    }

    private func finalize(_ job: OutboxJob, now: Date) throws {
        let callSid = job.subject
        let payload = job.payload
        let status = payload["status"].flatMap(CallStatus.init(rawValue:)) ?? .completed
        let session = try sessions.session(callSid)
        let endedAt = payload["received_at"].flatMap(Double.init).map { Date(timeIntervalSince1970: $0) } ?? now
        let endedBy: EndedBy = status == .abandoned
            ? .systemTimeout : EndedBy.resolved(engine: session?.endedBy, finalStatus: status)
        var duration = payload["duration"].flatMap(Int.init)
        if duration == nil, let session {
            duration = max(0, Int(endedAt.timeIntervalSince1970 - session.startedAt.date.timeIntervalSince1970))
        }
        let ending = CallEnding(status: status, endedAt: Timestamp(endedAt), durationSeconds: duration, endedBy: endedBy,
                                recordingURL: payload["recording_url"], recordingSid: payload["recording_sid"],
                                answeredBy: payload["answered_by"])
        var recorded = true
        if let calls {
            recorded = try calls.finalize(callSid: callSid, session: session, ending: ending,
                                          fallbackParties: Self.parties(payload, endedAt: endedAt),
                                          options: .within(awsBudget))
            if !recorded {
                // Twilio reported the call over and its finalization came first
                // (the sweep raced it): that record stands, and has its analysis.
                logger.info("call already final; not recorded as abandoned", metadata: ["call_sid": "\(callSid)"])
            } else if job.attempts > 0 {
                // Earlier attempts failed, and a request that timed out may still be
                // applied late: confirm the final state before retiring the session,
                // else try again while the session still holds the transcript.
                let stored = try calls.record(callSid, options: .within(awsBudget))
                guard let stored, stored.endedAt != nil, stored.status == status,
                      stored.conversationHistory.count >= (session?.transcript.count ?? 0)
                else { throw FinalizationNotVisible(callSid: callSid) }
            }
        }
        // The agent as it was on the call, so the analysis judges the call by its own brief.
        var analysedAgent: String?
        if analyst != nil, calls != nil, recorded, let session, session.transcript.contains(where: { $0.role == .user }) {
            analysedAgent = try? String(decoding: JSONEncoder().encode(session.agent.withoutSecrets), as: UTF8.self)
        }
        // The report waits for the analysis, which sends it when done. Decided
        // here, not in the transaction below: it may read the agent from DynamoDB.
        let agentId = session?.agent.agentId ?? payload["agent_id"]
        let reportedAgent = analysedAgent == nil && recorded
            ? agentId.flatMap { hasWebhook($0, onCall: session?.agent) ? $0 : nil } : nil
        // The record is final: retire the session, and fetch the recording.
        try sessions.update(callSid) { current, jobs in
            current = nil
            if let url = payload["recording_url"], calls != nil {
                var recording = ["recording_url": url]
                recording["recording_sid"] = payload["recording_sid"]
                jobs.append(VoiceJob.make(VoiceJob.recording, callSid: callSid, payload: recording, now: now))
            }
            if let analysedAgent {
                jobs.append(VoiceJob.make(VoiceJob.analyze, callSid: callSid, payload: ["agent": analysedAgent], now: now))
            }
            if let reportedAgent {
                jobs.append(VoiceJob.make(VoiceJob.webhook, callSid: callSid, payload: ["agent_id": reportedAgent], now: now))
            }
        }
        guard recorded else { return }
        logger.info("call finalized", metadata: [
            "call_sid": "\(callSid)", "status": "\(status.rawValue)", "ended_by": "\(endedBy.rawValue)",
            "messages": "\(session?.transcript.count ?? 0)",
        ])
    }

    private func archiveRecording(_ job: OutboxJob, now: Date) throws -> JobOutcome {
        guard let calls, let url = job.payload["recording_url"] else { return .done }
        if try archived.contains(callSid: job.subject, recordingURL: url) {
            logger.debug("recording already archived", metadata: ["call_sid": "\(job.subject)"])
            return .done
        }
        var s3URL: String?
        if let archiver {
            do {
                s3URL = try archiver.archive(callSid: job.subject, recordingURL: url, mayExist: job.attempts > 0)
            } catch RecordingError.foreignHost {
                // Never fetched with our credentials, and no retry can change that.
                logger.error("recording refused: its URL is not on Twilio's API", metadata: ["call_sid": "\(job.subject)"])
                return .dropped
            }
        }
        try calls.setRecording(callSid: job.subject, twilioURL: url, s3URL: s3URL,
                               recordingSid: job.payload["recording_sid"], options: .within(awsBudget))
        try archived.markArchived(callSid: job.subject, recordingURL: url, now: now.timeIntervalSince1970)
        logger.info("recording archived", metadata: ["call_sid": "\(job.subject)", "s3": "\(s3URL ?? "skipped")"])
        return .done
    }

    /// The LLM's summary, data and verdict on a finalized call, stored on its
    /// record. Idempotent: a record that has an analysis is left alone. An LLM
    /// that fails is retried with the outbox's backoff; one that keeps giving
    /// unusable answers is given up after `analysisAttempts`.
    private func analyze(_ job: OutboxJob, now: Date) throws -> JobOutcome {
        guard let analyst, let calls,
              let agent = job.payload["agent"].flatMap({ try? JSONDecoder().decode(Agent.self, from: Data($0.utf8)) }),
              let record = try calls.record(job.subject, options: .within(awsBudget)), record.analysis == nil
        else { return .done }
        var outcome = JobOutcome.done
        switch try analyst.analyze(record, agent: agent, now: now) {
        case .analysis(let analysis):
            try calls.setAnalysis(callSid: job.subject, analysis: analysis, options: .within(awsBudget))
            logger.info("call analysed", metadata: [
                "call_sid": "\(job.subject)", "success": "\(analysis.success.map(String.init) ?? "unknown")",
                "fields": "\(analysis.data.count)",
            ])
        case .unusable where job.attempts + 1 >= Self.analysisAttempts:
            logger.error("no usable analysis from the LLM; giving up", metadata: [
                "call_sid": "\(job.subject)", "attempts": "\(job.attempts + 1)",
            ])
            outcome = .dropped
        case .unusable:
            throw UnusableAnalysis(callSid: job.subject)
        }
        try enqueueWebhook(job.subject, agent: agent, now: now)
        return outcome
    }

    /// Whether the call's agent wants reports: as it was on the call, else as it is now.
    private func hasWebhook(_ agentId: String, onCall agent: Agent?) -> Bool {
        guard webhooks != nil else { return false }
        if agent?.webhookURL != nil { return true }
        guard let agents, case .found(let current, _) = agents.agent(agentId, options: .within(awsBudget)) else { return false }
        return current.webhookURL != nil
    }

    private func enqueueWebhook(_ callSid: String, agent: Agent, now: Date) throws {
        guard hasWebhook(agent.agentId, onCall: agent) else { return }
        try sessions.update(callSid) { _, jobs in
            jobs.append(VoiceJob.make(VoiceJob.webhook, callSid: callSid, payload: ["agent_id": agent.agentId], now: now))
        }
    }

    /// POSTs the final record, signed with the agent's current secret, to its
    /// current URL. An agent that no longer has a webhook gets nothing.
    private func sendWebhook(_ job: OutboxJob, now: Date) throws {
        guard let webhooks, let agents, let calls, let agentId = job.payload["agent_id"] else { return }
        let agent: Agent
        switch agents.agent(agentId, options: .within(awsBudget)) {
        case .found(let found, _): agent = found
        case .notFound: return
        case .unavailable(let reason): throw WebhookAgentUnavailable(reason: reason)
        }
        guard let url = agent.webhookURL, let secret = agent.webhookSecret else { return }
        guard let record = try calls.record(job.subject, options: .within(awsBudget)) else {
            throw FinalizationNotVisible(callSid: job.subject)
        }
        let status = try webhooks.deliver(CallReport(call: record, agent: agent, now: now), to: url, secret: secret, now: now)
        logger.info("webhook delivered", metadata: [
            "call_sid": "\(job.subject)", "agent_id": "\(agentId)", "status": "\(status)", "attempts": "\(job.attempts + 1)",
        ])
    }

    struct WebhookAgentUnavailable: Error, CustomStringConvertible {
        let reason: String
        var description: String { "the agent of the webhook could not be read: \(reason)" }
    }

    static let analysisAttempts = 3

    struct UnusableAnalysis: Error, CustomStringConvertible {
        let callSid: String
        var description: String { "the LLM's analysis of \(callSid) was not usable" }
    }

    struct FinalizationNotVisible: Error, CustomStringConvertible {
        let callSid: String
        var description: String { "the final record of \(callSid) is not in place yet" }
    }

    /// The parties of a call that was never answered, from its status callback
    /// (and the agent make-call put in the callback's URL).
    static func parties(_ payload: [String: String], endedAt: Date) -> CallRecord? {
        guard let from = payload["from"], let to = payload["to"] else { return nil }
        let direction: CallDirection = payload["direction"] == "inbound" ? .inbound : .outbound
        let parties = CallRecord.parties(direction: direction, from: from, to: to)
        return CallRecord(callSid: "", agentId: payload["agent_id"] ?? "", recipientPhone: parties.recipientPhone,
                          callerPhone: parties.callerPhone, direction: direction, status: .completed,
                          startedAt: Timestamp(endedAt))
    }
}
