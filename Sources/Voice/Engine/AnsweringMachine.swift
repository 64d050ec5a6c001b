import Foundation

/// What Twilio's machine detection (`AnsweredBy`) says answered, and what the
/// agent does about it: a person gets the conversation; a machine whose
/// greeting has ended (the beep) gets the agent's `voicemail_message`, or a
/// hang-up when it has none; a fax gets a hang-up.
public enum AnsweringMachine {
    /// The opening of a call a machine or a fax answered, or nil for a person
    /// (or `unknown`, or no detection): the conversation then starts as usual.
    public static func opening(_ session: Session, now: Date) -> TurnOutcome? {
        guard let answeredBy = session.answeredBy else { return nil }
        var session = session
        let time = Timestamp(now)
        var reply = ""
        switch answeredBy {
        case "machine_end_beep", "machine_end_silence", "machine_end_other", "machine_start":
            if let template = session.agent.voicemailMessage?.trimmingCharacters(in: .whitespacesAndNewlines),
               !template.isEmpty {
                reply = message(template, for: session)
                session.outcome = "voicemail_left"
            } else {
                session.outcome = "machine_no_message"
            }
        case "fax":
            session.outcome = "fax"
        default:
            return nil
        }
        session.phase = .ended
        session.endedBy = .systemComplete
        session.version += 1
        session.lastActivityAt = time
        if !reply.isEmpty { session.append(.assistant, reply, at: time) }
        return TurnOutcome(session: session, reply: reply, action: .hangUp(.systemComplete),
                           jobs: session.transcript.isEmpty ? [] : [.syncTranscript])
    }

    /// The message with its placeholders filled: `{name}` is the recipient's
    /// name from the most recent past call that has one (dropped when none
    /// does), `{agent_name}` the agent's name.
    public static func message(_ template: String, for session: Session) -> String {
        let nameFields = session.agent.dataToFill.filter { $0.kind == .personName }.map(\.name)
        let name = session.pastCalls.lazy.compactMap { past in
            nameFields.lazy.compactMap { past.dataCollected[$0] }.first
        }.first?.split(separator: " ").first.map(String.init)
        var text = template.replacingOccurrences(of: "{agent_name}", with: session.agent.name)
        text = text.replacingOccurrences(of: "{name}", with: name ?? "")
        // "Hi {name}, …" without a name reads "Hi, …", not "Hi , …".
        while text.contains("  ") { text = text.replacingOccurrences(of: "  ", with: " ") }
        return text.replacingOccurrences(of: " ,", with: ",").replacingOccurrences(of: " .", with: ".")
            .trimmingCharacters(in: .whitespaces)
    }
}
