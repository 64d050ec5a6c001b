import AWS
import Common
import Voice

/// The query string of `GET /calls` (and `voicectl calls list`), validated:
/// any bad parameter is a 400 that names it.
public struct CallListingQuery: Sendable {
    public let filter: CallFilter
    public let limit: Int
    public let cursor: String?

    public init(_ query: FormFields, maximumLimit: Int = 100) throws {
        var filter = CallFilter()
        if let agent = query["agent_id"] {
            guard AgentValidation.isAgentId(agent) else {
                throw HTTPError.badRequest("agent_id must be 1 to 64 letters, digits, '-' or '_'")
            }
            filter.agentId = agent
        }
        if let recipient = query["recipient"] {
            guard PhoneNumber.isE164(recipient) else {
                throw HTTPError.badRequest("recipient must be an E.164 number such as +14155550100")
            }
            filter.recipientPhone = recipient
        }
        if let status = query["status"] {
            guard let parsed = CallStatus(rawValue: status) else {
                throw HTTPError.badRequest("status must be one of "
                                           + CallStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            filter.status = parsed
        }
        let window = try TimeWindow(since: query["since"], until: query["until"])
        filter.since = window.since
        filter.until = window.until
        self.filter = filter
        limit = try query.limit(default: 20, maximum: maximumLimit)
        cursor = query["cursor"]
    }

    /// What a cursor is bound to, so a cursor from one listing is refused by another.
    var fingerprint: String {
        [filter.agentId ?? "", filter.recipientPhone ?? "", filter.status?.rawValue ?? "",
         filter.since?.description ?? "", filter.until?.description ?? ""].joined(separator: "|")
    }

    func position(_ cursors: PageCursor) throws -> CallPosition? {
        guard let cursor else { return nil }
        let fields = try cursors.decode(cursor)
        guard fields["listing"] == fingerprint, let startedAt = fields["started_at"], let sid = fields["call_sid"] else {
            throw HTTPError.badRequest("cursor belongs to another listing; start again without it")
        }
        return CallPosition(startedAt: startedAt, callSid: sid)
    }

    func cursor(after position: CallPosition, _ cursors: PageCursor) -> String {
        cursors.encode(["listing": fingerprint, "started_at": position.startedAt, "call_sid": position.callSid])
    }
}

/// `since` and `until` as the operator API takes them: an ISO 8601 date
/// (`2026-11-29`: from the day's start, or through its end for `until`) or date-time.
public struct TimeWindow: Sendable {
    public let since: Timestamp?
    public let until: Timestamp?

    public init(since: String?, until: String?) throws {
        self.since = try since.map { try Self.parse($0, name: "since", endOfDay: false) }
        self.until = try until.map { try Self.parse($0, name: "until", endOfDay: true) }
        if let start = self.since, let end = self.until, end < start {
            throw HTTPError.badRequest("until must not be before since")
        }
    }

    static let millisecondsPerDay: Int64 = 86_400_000

    private static func parse(_ text: String, name: String, endOfDay: Bool) throws -> Timestamp {
        guard let stamp = Timestamp(iso8601: text) else {
            throw HTTPError.badRequest("\(name) must be an ISO 8601 date or date-time, such as 2026-11-29 or 2026-11-29T10:00:00Z")
        }
        let dateOnly = text.utf8.count == 10
        return dateOnly && endOfDay
            ? Timestamp(millisecondsSince1970: stamp.millisecondsSince1970 + millisecondsPerDay - 1) : stamp
    }
}

extension VoiceRuntime {
    /// Runs a history read, answering what DynamoDB's refusals mean to an operator:
    /// an index the table lacks, or DynamoDB unreachable or throttling, is a 503.
    func readingHistory<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DynamoDBError {
            switch error {
            case .validation(let message) where message.localizedCaseInsensitiveContains("index"):
                throw HTTPError.serviceUnavailable(
                    "the calls table lacks an index this listing needs (\(message)); run `voicectl tables create`")
            case .throttling, .transport, .deadlineExceeded:
                throw HTTPError.serviceUnavailable("DynamoDB did not answer in time; try again")
            default:
                throw error
            }
        }
    }
}
