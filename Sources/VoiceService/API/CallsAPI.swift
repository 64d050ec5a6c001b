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

extension VoiceRuntime {
    /// How long a call's recording link works.
    static let recordingLinkSeconds = 900

    /// Past and live calls, read from DynamoDB.
    public static var callRoutes: Router<VoiceRuntime> {
        var routes = Router<VoiceRuntime>()
        routes.on("GET", "/calls/{call_sid}", access: .operatorKey) { call, voice in try voice.callDetail(call) }
        return routes
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
