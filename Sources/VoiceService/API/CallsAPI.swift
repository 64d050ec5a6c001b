import AWS
import Common
import Foundation
import Voice

/// `GET /calls/{call_sid}`: the record with a short-lived link to its recording.
struct CallDetail: Encodable {
    let call: CallRecord
    /// A presigned S3 GET URL, valid `expiresIn` seconds; nil until archived.
    let recordingURL: String?
    let recordingURLExpiresIn: Int?
    /// Whether the call is still in progress on this host.
    let live: Bool

    enum CodingKeys: String, CodingKey {
        case call, live
        case recordingURL = "recording_presigned_url"
        case recordingURLExpiresIn = "recording_presigned_url_expires_in"
    }

    /// The link's fields are always there: null until the recording is archived.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(call, forKey: .call)
        try container.encode(live, forKey: .live)
        try container.encode(recordingURL, forKey: .recordingURL)
        try container.encode(recordingURLExpiresIn, forKey: .recordingURLExpiresIn)
    }
}

/// `GET /calls`: a page of calls, newest first.
struct CallListPage: Encodable {
    let calls: [CallSummary]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case calls, count
        case nextCursor = "next_cursor"
    }

    /// `next_cursor` is always there: null on the last page.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(calls, forKey: .calls)
        try container.encode(calls.count, forKey: .count)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

extension VoiceRuntime {
    /// How long a call's recording link works.
    static let recordingLinkSeconds = 900

    /// Past and live calls, read from DynamoDB.
    public static var callRoutes: Router<VoiceRuntime> {
        var routes = Router<VoiceRuntime>()
        routes.on("GET", "/calls", access: .operatorKey) { call, voice in try voice.listCalls(call) }
        routes.on("GET", "/calls/{call_sid}", access: .operatorKey) { call, voice in try voice.callDetail(call) }
        return routes
    }

    private func listCalls(_ call: Router<VoiceRuntime>.Call) throws -> Response {
        let listing = try CallListingQuery(try call.request.queryItems())
        let cursors = try pageCursor()
        let after = try listing.position(cursors)
        let history = try history()
        let options = aws(call.context)
        let page = try readingHistory {
            try history.page(listing.filter, after: after, limit: listing.limit, options: options)
        }
        return try .json(CallListPage(calls: page.calls.map(CallSummary.init),
                                      nextCursor: page.next.map { listing.cursor(after: $0, cursors) }))
    }

    func history() throws -> CallHistory {
        guard let calls else { throw HTTPError.serviceUnavailable("call history needs DynamoDB (ENABLE_DYNAMODB=true)") }
        return CallHistory(calls: calls)
    }

    private func callDetail(_ call: Router<VoiceRuntime>.Call) throws -> Response {
        let callSid = try Self.pathCallSid(call)
        guard let calls else { throw HTTPError.serviceUnavailable("call history needs DynamoDB (ENABLE_DYNAMODB=true)") }
        guard let record = try calls.record(callSid, options: aws(call.context)) else {
            throw HTTPError.notFound("no call '\(callSid)'")
        }
        var link: String?
        if let location = record.s3RecordingUrl.flatMap(S3Location.init), let s3 = recordings {
            do {
                link = try s3.presignedGetURL(bucket: location.bucket, key: location.key, expiresIn: Self.recordingLinkSeconds)
            } catch {
                call.context.logger.warning("recording link not signed", metadata: ["reason": "\(error)"])
            }
        }
        let live = (try? sessions.session(callSid)) != nil
        return try .json(CallDetail(call: record, recordingURL: link, recordingURLExpiresIn: link.map { _ in Self.recordingLinkSeconds },
                                    live: live))
    }
}

/// `s3://bucket/key`, as the record's `s3_recording_url` holds it.
struct S3Location {
    let bucket: String
    let key: String

    init?(_ url: String) {
        guard url.hasPrefix("s3://") else { return nil }
        let rest = url.dropFirst(5)
        guard let slash = rest.firstIndex(of: "/"), slash != rest.startIndex else { return nil }
        bucket = String(rest[..<slash])
        key = String(rest[rest.index(after: slash)...])
        guard !key.isEmpty else { return nil }
    }
}
