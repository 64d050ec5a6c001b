import Foundation
import SessionDB
import Voice

/// How a session is stored: read and written on every turn, so not as JSON
/// (which cost most of a turn's CPU) but in the compact binary form of
/// `CompactWriter`, with the agent by reference (see `AgentSnapshots`).
///
/// Layout, after the format byte: the agent's reference first (so a sweep
/// reads it alone), then the fields in the order of `encode`. Any change to
/// the fields takes a new format byte; a session stored as JSON by an earlier
/// version (its first byte is `{`) is still read, so a deploy in the middle of
/// a call loses nothing.
enum SessionCodec {
    static let format: UInt8 = 0xB1
    private static let jsonOpening = UInt8(ascii: "{")

    static func encode(_ session: Session, agentReference: String) -> [UInt8] {
        var out = CompactWriter(capacity: 512 + session.transcript.count * 96)
        out.write(format)
        out.write(agentReference)
        out.write(session.callSid)
        out.write(session.direction)
        out.write(session.recipientPhone)
        out.write(session.callerPhone)
        out.write(session.pastCalls, PastCall.write)
        out.write(session.transcript) { out, line in
            out.write(line.role)
            out.write(line.content)
            out.write(line.timestamp.millisecondsSince1970)
            out.write(line.confidence)
        }
        out.write(session.dataCollected)
        out.write(session.skippedFields)
        out.write(session.phase)
        out.write(session.currentField)
        out.write(session.fieldAttempts)
        out.write(session.pendingConfirmation) { out, pending in
            out.write(pending.subject)
            out.write(pending.field)
            out.write(pending.value)
        }
        out.write(session.noInputStrikes)
        out.write(session.lowConfidenceStrikes)
        out.write(session.turnCount)
        out.write(session.messagesSinceSync)
        out.write(session.version)
        out.write(session.startedAt.millisecondsSince1970)
        out.write(session.lastActivityAt.millisecondsSince1970)
        out.write(session.endedBy)
        out.write(session.answeredBy)
        out.write(session.lastTurn) { out, memo in
            out.write(memo.key)
            out.write(memo.reply)
            out.write(memo.endedBy)
        }
        out.write(session.finalStatus)
        out.write(session.outcome)
        out.write(session.transfer) { out, transfer in
            out.write(transfer.number)
            out.write(transfer.state)
            out.write(transfer.dialStatus)
        }
        return out.bytes
    }

    /// What stored bytes hold: the binary form with its agent's reference, or
    /// the JSON of an earlier version, agent included.
    enum Stored {
        case compact(agentReference: String)
        case json
    }

    /// Enough bytes to hold the format and the agent's reference.
    static let headerLength = 64

    static func inspect(_ bytes: [UInt8]) throws -> Stored {
        guard let first = bytes.first else { throw CompactDecodingError.truncated }
        if first == jsonOpening { return .json }
        var reader = CompactReader(Array(bytes.prefix(headerLength)))
        guard try reader.readByte() == format else { throw CompactDecodingError.invalid("session format \(first)") }
        return .compact(agentReference: try reader.readString())
    }

    static func decode(_ bytes: [UInt8], agent resolve: (String) throws -> Agent) throws -> Session {
        if bytes.first == jsonOpening { return try JSONDecoder().decode(Session.self, from: Data(bytes)) }
        var input = CompactReader(bytes)
        guard try input.readByte() == format else { throw CompactDecodingError.invalid("session format") }
        let agent = try resolve(try input.readString())
        // Below, as everywhere in Swift, arguments are evaluated left to right:
        // the fields are read in the order they were written.
        var session = Session(
            callSid: try input.readString(), agent: agent, direction: try input.readEnum(),
            recipientPhone: try input.readString(), callerPhone: try input.readString(),
            startedAt: Timestamp(millisecondsSince1970: 0))
        session.pastCalls = try input.readArray(PastCall.init(compact:))
        session.transcript = try input.readArray { input in
            ConversationMessage(
                role: try input.readEnum(), content: try input.readString(),
                timestamp: Timestamp(millisecondsSince1970: try input.readInt64()),
                confidence: try input.readOptionalDouble())
        }
        session.dataCollected = try input.readDictionary()
        session.skippedFields = try input.readStrings()
        session.phase = try input.readEnum()
        session.currentField = try input.readOptionalString()
        session.fieldAttempts = try input.readInt()
        session.pendingConfirmation = try input.readOptional { input in
            PendingConfirmation(subject: try input.readEnum(), field: try input.readOptionalString(),
                                value: try input.readOptionalString())
        }
        session.noInputStrikes = try input.readInt()
        session.lowConfidenceStrikes = try input.readInt()
        session.turnCount = try input.readInt()
        session.messagesSinceSync = try input.readInt()
        session.version = try input.readInt()
        session.startedAt = Timestamp(millisecondsSince1970: try input.readInt64())
        session.lastActivityAt = Timestamp(millisecondsSince1970: try input.readInt64())
        session.endedBy = try input.readOptionalEnum()
        session.answeredBy = try input.readOptionalString()
        session.lastTurn = try input.readOptional { input in
            TurnMemo(key: try input.readString(), reply: try input.readString(), endedBy: try input.readOptionalEnum())
        }
        session.finalStatus = try input.readOptionalEnum()
        session.outcome = try input.readOptionalString()
        session.transfer = try input.readOptional { input in
            Transfer(number: try input.readString(), state: try input.readEnum(), dialStatus: try input.readOptionalString())
        }
        guard input.isAtEnd else { throw CompactDecodingError.invalid("session: bytes after the last field") }
        return session
    }
}
