import SessionDB
import Voice

/// A past call in the compact form of sessions and prepared calls.
extension PastCall {
    static func write(_ out: inout CompactWriter, _ past: PastCall) {
        out.write(past.callSid)
        out.write(past.startedAt.millisecondsSince1970)
        out.write(past.status)
        out.write(past.endedBy)
        out.write(past.durationSeconds)
        out.write(past.dataCollected)
        out.write(past.summary)
    }

    init(compact input: inout CompactReader) throws {
        // Arguments are evaluated left to right: fields are read in the order written.
        self.init(
            callSid: try input.readString(), startedAt: Timestamp(millisecondsSince1970: try input.readInt64()),
            status: try input.readEnum(), endedBy: try input.readOptionalEnum(),
            durationSeconds: try input.readOptionalInt(), dataCollected: try input.readDictionary(),
            summary: try input.readString())
    }
}
