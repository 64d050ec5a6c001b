import AWS
import Foundation
import Voice

/// Which calls a listing wants. Every bound is on `started_at`, inclusive.
public struct CallFilter: Sendable, Equatable {
    public var agentId: String?
    public var recipientPhone: String?
    public var status: CallStatus?
    public var since: Timestamp?
    public var until: Timestamp?

    public init(agentId: String? = nil, recipientPhone: String? = nil, status: CallStatus? = nil,
                since: Timestamp? = nil, until: Timestamp? = nil) {
        self.agentId = agentId
        self.recipientPhone = recipientPhone
        self.status = status
        self.since = since
        self.until = until
    }
}

/// Where a page of calls ended: the next page holds the calls strictly older
/// (by `started_at`, then `call_sid`, both descending).
public struct CallPosition: Sendable, Hashable, Comparable {
    public var startedAt: String
    public var callSid: String

    public init(startedAt: String, callSid: String) {
        self.startedAt = startedAt
        self.callSid = callSid
    }

    /// Newest first: `a < b` when `a` is listed before `b`.
    public static func < (lhs: CallPosition, rhs: CallPosition) -> Bool {
        lhs.startedAt != rhs.startedAt ? lhs.startedAt > rhs.startedAt : lhs.callSid > rhs.callSid
    }
}

/// A page of calls, newest first, and where the next one starts.
public struct CallPage: Sendable {
    public var calls: [CallRecord]
    public var next: CallPosition?
}

/// The history of calls over the Calls table's indexes: each filter is served by
/// the index whose key it names, the rest is a filter expression. Pages are
/// keyset-paginated on `started_at`, so one cursor form serves every index and
/// the merge of several.
public struct CallHistory: Sendable {
    let dynamo: DynamoDBClient
    let table: String
    /// Items read per request to DynamoDB.
    let batchSize: Int
    /// Items examined per listing at most, so a sparse filter costs a bounded time;
    /// a listing that stops there still returns a cursor to go on from.
    let examineLimit: Int

    public init(calls: CallStore, batchSize: Int = 100, examineLimit: Int = 2_000) {
        dynamo = calls.dynamo
        table = calls.table
        self.batchSize = batchSize
        self.examineLimit = examineLimit
    }

    /// Up to `limit` calls matching `filter`, after `position` when given.
    public func page(_ filter: CallFilter, after position: CallPosition? = nil, limit: Int,
                     options: AWSCallOptions = .standard) throws(DynamoDBError) -> CallPage {
        let plans = CallQueryPlan.plans(for: filter, table: table)
        var found: [(CallPosition, CallRecord)] = []
        var scanStoppedAt: CallPosition?
        for plan in plans {
            let result = try read(plan, after: position, want: limit + 1, options: options)
            found += result.found
            // The newest stop bounds what is known complete across all sources.
            if let stop = result.stoppedAt { scanStoppedAt = min(scanStoppedAt ?? stop, stop) }
        }
        found.sort { $0.0 < $1.0 }
        if let stop = scanStoppedAt {
            // A source stopped early: nothing past its stop is known to be complete.
            found.removeAll { stop < $0.0 }
        }
        let page = Array(found.prefix(limit))
        let more = found.count > limit || scanStoppedAt != nil
        let next = more ? (page.last?.0 ?? scanStoppedAt) : nil
        return CallPage(calls: page.map(\.1), next: next)
    }

    /// Every call matching `filter` (for aggregates), at most `maximum`, with the
    /// attributes `projection` names. `complete` is false when it stopped there.
    public func all(_ filter: CallFilter, projection: [String], maximum: Int,
                    options: AWSCallOptions = .standard) throws(DynamoDBError) -> (items: [DynamoDBItem], complete: Bool) {
        var items: [DynamoDBItem] = []
        for var plan in CallQueryPlan.plans(for: filter, table: table) {
            plan.query.projection = projection.map { "#p_\($0)" }.joined(separator: ", ")
            for name in projection { plan.query.names["#p_\(name)"] = name }
            plan.query.limit = batchSize
            items += try dynamo.queryAll(plan.query, maxItems: maximum - items.count, options: options)
            if items.count >= maximum { return (items, false) }
        }
        return (items, true)
    }

    private struct Read {
        var found: [(CallPosition, CallRecord)] = []
        /// Set when the read stopped at the examine limit before the index ran out.
        var stoppedAt: CallPosition?
    }

    /// Reads one index newest first until `want` calls after `position` are found
    /// and every call tied with the last of them on `started_at` has been seen
    /// (DynamoDB does not order items with equal sort keys).
    private func read(_ plan: CallQueryPlan, after position: CallPosition?, want: Int,
                      options: AWSCallOptions) throws(DynamoDBError) -> Read {
        var plan = plan
        if let position { plan.bound(upTo: position.startedAt) }
        var query = plan.query
        query.limit = batchSize
        var result = Read()
        var examined = 0
        var start: DynamoDBItem?
        repeat {
            query.exclusiveStartKey = start
            let page = try dynamo.query(query, options: options)
            var lastSeen: CallPosition?
            for item in page.items {
                guard let startedAt = item["started_at"]?.stringValue, let sid = item["call_sid"]?.stringValue else { continue }
                let here = CallPosition(startedAt: startedAt, callSid: sid)
                lastSeen = here
                if let position, !(position < here) { continue }
                guard let record = try? DynamoDBDecoder().decode(CallRecord.self, from: item) else { continue }
                result.found.append((here, record))
            }
            examined += page.items.count
            start = page.lastEvaluatedKey
            if result.found.count >= want, let last = lastSeen,
               let boundary = result.found.map(\.0).sorted().dropFirst(want - 1).first,
               last.startedAt < boundary.startedAt {
                break
            }
            if start != nil, examined >= examineLimit, let last = lastSeen {
                result.stoppedAt = last
                break
            }
        } while start != nil
        return result
    }
}

/// One Query that serves a filter: the index, its key condition and the filter
/// expression for what the key does not cover.
struct CallQueryPlan: Sendable {
    var query: DynamoDBQuery
    /// The index's sort key: `started_at`, or `agent_recipient_key`
    /// (`agent#recipient#started_at`) whose prefix the filter fixes.
    private let sortKey: String
    private let sortPrefix: String
    private let partition: String
    private var low: String?
    private var high: String?

    /// No call newer than `startedAt` (a later page).
    mutating func bound(upTo startedAt: String) {
        let candidate = sortPrefix + startedAt
        if high.map({ candidate < $0 }) ?? true { high = candidate }
        applyKeyCondition()
    }

    /// The listing of every call (no agent, recipient or status) merges the
    /// StatusIndex partitions of all statuses.
    static func plans(for filter: CallFilter, table: String) -> [CallQueryPlan] {
        if filter.agentId == nil && filter.recipientPhone == nil && filter.status == nil {
            return CallStatus.allCases.map { status in
                var narrowed = filter
                narrowed.status = status
                return CallQueryPlan(narrowed, table: table)
            }
        }
        return [CallQueryPlan(filter, table: table)]
    }

    init(_ filter: CallFilter, table: String) {
        var names: [String: String] = [:]
        var values: DynamoDBItem = [:]
        let index: String
        var prefix = ""
        if let agent = filter.agentId, let recipient = filter.recipientPhone {
            index = CallStore.agentRecipientIndex
            partition = "agent_id = :partition"
            values[":partition"] = .string(agent)
            prefix = CallRecord.agentRecipientPrefix(agentId: agent, recipientPhone: recipient)
        } else if let agent = filter.agentId {
            index = CallStore.agentStartedIndex
            partition = "agent_id = :partition"
            values[":partition"] = .string(agent)
        } else if let recipient = filter.recipientPhone {
            index = CallStore.recipientIndex
            partition = "recipient_phone = :partition"
            values[":partition"] = .string(recipient)
        } else {
            index = CallStore.statusIndex
            partition = "#status = :partition"
            names["#status"] = "status"
            values[":partition"] = .string(filter.status?.rawValue ?? "")
        }
        var filterExpression: String?
        if let status = filter.status, index != CallStore.statusIndex {
            filterExpression = "#status = :status"
            names["#status"] = "status"
            values[":status"] = .string(status.rawValue)
        }
        sortKey = prefix.isEmpty ? "started_at" : "agent_recipient_key"
        sortPrefix = prefix
        low = filter.since.map { prefix + $0.description }
        high = filter.until.map { prefix + $0.description }
        if !prefix.isEmpty {
            // A prefix is never empty, and every timestamp character sorts below "~".
            low = low ?? prefix
            high = high ?? prefix + "~"
        }
        query = DynamoDBQuery(table: table, index: index, keyCondition: "", filter: filterExpression, names: names,
                              values: values, scanIndexForward: false)
        applyKeyCondition()
    }

    /// The partition, and the bounds on the sort key that are set.
    private mutating func applyKeyCondition() {
        var condition = partition
        var values = query.values
        values[":low"] = nil
        values[":high"] = nil
        switch (low, high) {
        case let (low?, high?):
            condition += " AND \(sortKey) BETWEEN :low AND :high"
            values[":low"] = .string(low)
            values[":high"] = .string(high)
        case let (low?, nil):
            condition += " AND \(sortKey) >= :low"
            values[":low"] = .string(low)
        case let (nil, high?):
            condition += " AND \(sortKey) <= :high"
            values[":high"] = .string(high)
        case (nil, nil):
            break
        }
        query.keyCondition = condition
        query.values = values
    }
}
