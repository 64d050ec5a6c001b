/// A call as a listing shows it: the record without its transcript or the
/// attributes that only keep the table consistent (index keys, sync version).
public struct CallSummary: Encodable, Sendable {
    public let record: CallRecord

    public init(_ record: CallRecord) {
        self.record = record
    }

    public func encode(to encoder: any Encoder) throws {
        typealias Key = CallRecord.CodingKeys
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(record.callSid, forKey: .callSid)
        try container.encode(record.agentId, forKey: .agentId)
        try container.encode(record.recipientPhone, forKey: .recipientPhone)
        try container.encode(record.callerPhone, forKey: .callerPhone)
        try container.encode(record.direction, forKey: .direction)
        try container.encode(record.status, forKey: .status)
        try container.encode(record.startedAt, forKey: .startedAt)
        try container.encodeIfPresent(record.endedAt, forKey: .endedAt)
        try container.encodeIfPresent(record.durationSeconds, forKey: .durationSeconds)
        try container.encodeIfPresent(record.endedBy, forKey: .endedBy)
        try container.encodeIfPresent(record.answeredBy, forKey: .answeredBy)
        try container.encode(record.messageCount, forKey: .messageCount)
        try container.encode(record.dataCollected, forKey: .dataCollected)
        try container.encodeIfPresent(record.callRecordingUrl, forKey: .callRecordingUrl)
        try container.encodeIfPresent(record.s3RecordingUrl, forKey: .s3RecordingUrl)
        try container.encodeIfPresent(record.updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(record.analysis, forKey: .analysis)
        try container.encodeIfPresent(record.outcome, forKey: .outcome)
        try container.encodeIfPresent(record.transferredTo, forKey: .transferredTo)
        try container.encodeIfPresent(record.transferOutcome, forKey: .transferOutcome)
    }
}
