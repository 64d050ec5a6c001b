import AWS
import Foundation
import Voice

/// What finalization writes, from Twilio's final status callback.
public struct CallEnding: Sendable {
    public var status: CallStatus
    public var endedAt: Timestamp
    public var durationSeconds: Int?
    public var endedBy: EndedBy
    public var recordingURL: String?
    public var recordingSid: String?
    public var answeredBy: String?

    public init(status: CallStatus, endedAt: Timestamp, durationSeconds: Int?, endedBy: EndedBy,
                recordingURL: String? = nil, recordingSid: String? = nil, answeredBy: String? = nil) {
        self.status = status
        self.endedAt = endedAt
        self.durationSeconds = durationSeconds
        self.endedBy = endedBy
        self.recordingURL = recordingURL
        self.recordingSid = recordingSid
        self.answeredBy = answeredBy
    }
}

extension CallStore {
    /// Writes what the session holds (transcript, collected data, message count and
    /// the call's identity) with one UpdateItem. Conditioned on an older
    /// `sync_version` and on the call not being finalized, so a late or repeated
    /// sync never overwrites newer data. Creates the record if the answer webhook
    /// could not. Returns false when a newer state was already there.
    @discardableResult
    public func sync(_ session: Session, options: AWSCallOptions = .standard) throws -> Bool {
        let record = CallRecord(session: session, status: .inProgress)
        var (sets, values) = identity(record)
        sets += ["conversation_history = :history", "data_collected = :data", "message_count = :count",
                 "sync_version = :version", "updated_at = :updated", "#status = if_not_exists(#status, :in_progress)"]
        (values[":history"], values[":data"]) = try encoder.transcriptAndData(of: record)
        values[":count"] = .int(record.messageCount)
        values[":version"] = .int(record.syncVersion)
        values[":updated"] = .string(Timestamp(Date()).description)
        values[":in_progress"] = .string(CallStatus.inProgress.rawValue)
        do {
            try dynamo.updateItem(
                table: table, key: ["call_sid": .string(record.callSid)],
                update: "SET " + sets.joined(separator: ", "),
                condition: "(attribute_not_exists(sync_version) OR sync_version < :version) AND attribute_not_exists(ended_at)",
                names: ["#status": "status"], values: values, options: options)
            return true
        } catch .conditionalCheckFailed {
            return false
        }
    }

    /// Writes the final record. With the session (the call's last state) it
    /// writes the transcript too; without it (a repeated callback after the
    /// session is gone, or a call never answered) only what the callback says,
    /// keeping an `ended_by` already recorded. Idempotent.
    ///
    /// An `abandoned` ending is our guess, Twilio's final status is its word:
    /// the guess is written only over a record not yet ended (or ended as
    /// abandoned, when the write is repeated), never over a call that Twilio
    /// reported over first. Returns false when it was refused for that reason.
    @discardableResult
    public func finalize(callSid: String, session: Session?, ending: CallEnding, fallbackParties: CallRecord?,
                         options: AWSCallOptions = .standard) throws -> Bool {
        var sets = ["#status = :status", "ended_at = if_not_exists(ended_at, :ended_at)", "updated_at = :updated"]
        var values: DynamoDBItem = [
            ":status": .string(ending.status.rawValue),
            ":ended_at": .string(ending.endedAt.description),
            ":updated": .string(Timestamp(Date()).description),
            ":ended_by": .string(ending.endedBy.rawValue),
        ]
        if let duration = ending.durationSeconds {
            sets.append("duration_seconds = :duration")
            values[":duration"] = .int(duration)
        }
        if let url = ending.recordingURL {
            sets.append("call_recording_url = :recording_url")
            values[":recording_url"] = .string(url)
        }
        if let sid = ending.recordingSid {
            sets.append("recording_sid = :recording_sid")
            values[":recording_sid"] = .string(sid)
        }
        if let answeredBy = ending.answeredBy {
            sets.append("answered_by = :answered_by")
            values[":answered_by"] = .string(answeredBy)
        }
        if let session {
            let record = CallRecord(session: session, status: ending.status)
            // The callback's AnsweredBy, when given, is set above; two clauses may not share a path.
            let (identitySets, identityValues) = identity(record, answeredBy: ending.answeredBy == nil)
            values.merge(identityValues) { current, _ in current }
            sets += identitySets
            sets += ["conversation_history = :history", "data_collected = :data", "message_count = :count",
                     "sync_version = :version", "ended_by = :ended_by"]
            (values[":history"], values[":data"]) = try encoder.transcriptAndData(of: record)
            values[":count"] = .int(record.messageCount)
            values[":version"] = .int(record.syncVersion)
            for (attribute, value) in [("outcome", record.outcome), ("transferred_to", record.transferredTo),
                                       ("transfer_outcome", record.transferOutcome)] {
                if let value {
                    sets.append("\(attribute) = :\(attribute)")
                    values[":\(attribute)"] = .string(value)
                }
            }
        } else {
            sets.append("ended_by = if_not_exists(ended_by, :ended_by)")
            if let parties = fallbackParties {
                // A call that was never answered has no record yet: give it its parties.
                sets += ["recipient_phone = if_not_exists(recipient_phone, :recipient)",
                         "caller_phone = if_not_exists(caller_phone, :caller)",
                         "direction = if_not_exists(direction, :direction)",
                         "started_at = if_not_exists(started_at, :started_at)"]
                values[":recipient"] = .string(parties.recipientPhone)
                values[":caller"] = .string(parties.callerPhone)
                values[":direction"] = .string(parties.direction.rawValue)
                values[":started_at"] = .string(parties.startedAt.description)
                if !parties.agentId.isEmpty {
                    // So the attempt shows in the agent's history (AgentRecipientIndex).
                    sets += ["agent_id = if_not_exists(agent_id, :agent)",
                             "agent_recipient_key = if_not_exists(agent_recipient_key, :agent_key)"]
                    values[":agent"] = .string(parties.agentId)
                    values[":agent_key"] = .string(parties.agentRecipientKey)
                }
            }
        }
        let condition = ending.status == .abandoned ? "attribute_not_exists(ended_at) OR #status = :status" : nil
        return try update(callSid, sets: sets, condition: condition, values: values, options: options)
    }

    /// One UpdateItem of a call's record; false when its condition failed.
    private func update(_ callSid: String, sets: [String], condition: String?, values: DynamoDBItem,
                        options: AWSCallOptions) throws(DynamoDBError) -> Bool {
        do {
            try dynamo.updateItem(table: table, key: ["call_sid": .string(callSid)],
                                  update: "SET " + sets.joined(separator: ", "), condition: condition,
                                  names: ["#status": "status"], values: values, options: options)
            return true
        } catch .conditionalCheckFailed {
            return false
        }
    }

    /// Records where the recording was archived.
    public func setRecording(callSid: String, twilioURL: String, s3URL: String?, recordingSid: String?,
                             options: AWSCallOptions = .standard) throws {
        var sets = ["call_recording_url = :url", "updated_at = :updated"]
        var values: DynamoDBItem = [":url": .string(twilioURL), ":updated": .string(Timestamp(Date()).description)]
        if let s3URL {
            sets.append("s3_recording_url = :s3")
            values[":s3"] = .string(s3URL)
        }
        if let recordingSid {
            sets.append("recording_sid = :sid")
            values[":sid"] = .string(recordingSid)
        }
        try dynamo.updateItem(table: table, key: ["call_sid": .string(callSid)],
                              update: "SET " + sets.joined(separator: ", "), values: values, options: options)
    }

    /// The attributes that identify a call, set with every write so that a
    /// record first written by a sync or finalization is complete.
    /// Stores the post-call analysis on an existing record.
    public func setAnalysis(callSid: String, analysis: CallAnalysis, options: AWSCallOptions = .standard) throws {
        try dynamo.updateItem(table: table, key: ["call_sid": .string(callSid)], update: "SET analysis = :analysis",
                              condition: "attribute_exists(call_sid)",
                              values: [":analysis": try encoder.encodeValue(analysis)], options: options)
    }

    private func identity(_ record: CallRecord, answeredBy: Bool = true) -> (sets: [String], values: DynamoDBItem) {
        var sets = ["agent_id = :agent_id", "recipient_phone = :recipient_phone", "caller_phone = :caller_phone",
                    "direction = :direction", "started_at = :started_at", "agent_recipient_key = :agent_recipient_key"]
        var values: DynamoDBItem = [
            ":agent_id": .string(record.agentId),
            ":recipient_phone": .string(record.recipientPhone),
            ":caller_phone": .string(record.callerPhone),
            ":direction": .string(record.direction.rawValue),
            ":started_at": .string(record.startedAt.description),
            ":agent_recipient_key": .string(record.agentRecipientKey),
        ]
        if answeredBy, let answeredBy = record.answeredBy {
            sets.append("answered_by = if_not_exists(answered_by, :answered)")
            values[":answered"] = .string(answeredBy)
        }
        return (sets, values)
    }

    private var encoder: DynamoDBEncoder { DynamoDBEncoder() }
}
