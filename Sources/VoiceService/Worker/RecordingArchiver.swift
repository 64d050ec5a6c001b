import AWS
import Foundation
import HTTPClient
import Logging

/// Why a recording could not be archived (this time).
public enum RecordingError: Error, CustomStringConvertible {
    /// Twilio has not made it available yet (404): try again later.
    case notReady(String)
    case download(String)
    case upload(String)
    /// The URL is not on Twilio's API: never fetched, never retried.
    case foreignHost(String)

    public var description: String {
        switch self {
        case .notReady(let url): return "recording not ready yet at \(url)"
        case .download(let reason): return "download failed: \(reason)"
        case .upload(let reason): return "upload to S3 failed: \(reason)"
        case .foreignHost(let url): return "recording URL is not on Twilio's API, refused: \(url.prefix(200))"
        }
    }
}

/// Copies a call's recording from Twilio to S3: streamed to a temporary file
/// on local disk, then streamed up (multipart when large), so a recording is
/// never held whole in memory.
public struct RecordingArchiver: Sendable {
    private let s3: S3Client
    private let twilio: TwilioClient
    private let bucket: String
    private let prefix: String
    private let scratchDirectory: String
    private let http: HTTPClient

    public init(s3: S3Client, twilio: TwilioClient, bucket: String, prefix: String, scratchDirectory: String,
                http: HTTPClient = .shared) {
        self.s3 = s3
        self.twilio = twilio
        self.bucket = bucket
        self.prefix = prefix
        self.scratchDirectory = scratchDirectory
        self.http = http
    }

    public func key(for callSid: String) -> String { prefix + callSid + ".wav" }

    /// Archives the recording and returns its `s3://` URL.
    ///
    /// `mayExist`: an earlier attempt may have uploaded it before failing, so
    /// S3 is asked first (a HEAD) and an object there is kept. A first attempt
    /// skips that request: the worker's own mark (`ArchivedRecordings`) already
    /// tells a second announcement of the same recording that it is done. (A
    /// worker killed between the upload and the mark uploads the same bytes
    /// again when the job resumes: a second version of the object, nothing lost.)
    public func archive(callSid: String, recordingURL: String, mayExist: Bool = true) throws -> String {
        guard twilio.isOwnURL(recordingURL) else { throw RecordingError.foreignHost(recordingURL) }
        let key = key(for: callSid)
        if mayExist, let existing = try? s3.headObject(bucket: bucket, key: key), existing.contentLength > 0 {
            return "s3://\(bucket)/\(key)"
        }
        try? FileManager.default.createDirectory(atPath: scratchDirectory, withIntermediateDirectories: true)
        let path = scratchDirectory + "/" + callSid + "-" + String(UInt64.random(in: 0 ... .max), radix: 36) + ".wav"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let media = twilio.recordingMediaURL(recordingURL)
        let request = HTTPRequest(method: "GET", url: media, headers: [("Authorization", twilio.mediaAuthorization)],
                                  connectTimeout: .seconds(5), timeout: .seconds(300))
        let response: HTTPResponse
        do {
            response = try http.execute(request, responseBodyTo: .file(path: path))
        } catch {
            TwilioClient.count("download_recording", error.isTimeout ? "timeout" : "transport_error")
            throw RecordingError.download("\(error)")
        }
        TwilioClient.count("download_recording", TwilioClient.outcome(status: response.status))
        if response.status == 404 { throw RecordingError.notReady(media) }
        guard response.isSuccess else { throw RecordingError.download("Twilio answered \(response.status)") }
        do {
            try s3.putObject(bucket: bucket, key: key, fileAt: path, contentType: "audio/wav",
                             metadata: ["call-sid": callSid], options: .within(.seconds(600)))
        } catch {
            throw RecordingError.upload("\(error)")
        }
        return "s3://\(bucket)/\(key)"
    }
}
