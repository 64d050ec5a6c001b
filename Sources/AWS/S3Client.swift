import CryptoCore
import Foundation
import HTTPClient
import Logging

/// A synchronous S3 client (REST/XML), streaming files in and out so memory stays flat.
///
/// Path-style addressing (`endpoint/bucket/key`) when an endpoint override is set
/// (local emulators), virtual-hosted style (`bucket.s3.region.amazonaws.com/key`)
/// on AWS. Safe to share between threads.
///
/// ```swift
/// let s3 = S3Client(configuration: AWSConfiguration(environment: env), logger: logger)
/// try s3.putObject(bucket: "voice-assistant-recordings", key: "recordings/CA123.mp3",
///                  fileAt: "/tmp/CA123.mp3", contentType: "audio/mpeg")
/// ```
public final class S3Client: Sendable {
    /// Files larger than this go up in parts.
    public let multipartThreshold: UInt64
    /// The size of each part but the last (S3 requires at least 5 MiB).
    public let partSize: UInt64
    let endpointOverride: String?
    let region: String
    let dnsSuffix: String
    let executor: AWSRequestExecutor
    let logger: Logger

    /// The smallest part S3 accepts, except for the last one.
    public static let minimumPartSize: UInt64 = 5 * 1024 * 1024
    static let xmlNamespace = "http://s3.amazonaws.com/doc/2006-03-01/"

    /// A client for the configuration's region and endpoint.
    ///
    /// - Parameters:
    ///   - multipartThreshold: files above this size use multipart upload (default 16 MiB).
    ///   - partSize: part size for multipart upload (default 8 MiB, at least 5 MiB).
    public init(configuration: AWSConfiguration, httpClient: HTTPClient = .shared, logger: Logger = Logger(label: "s3"),
                retryStrategy: RetryStrategy? = nil, multipartThreshold: UInt64 = 16 * 1024 * 1024,
                partSize: UInt64 = 8 * 1024 * 1024) {
        endpointOverride = configuration.endpointOverride(for: "s3")
        region = configuration.region
        dnsSuffix = configuration.dnsSuffix
        executor = AWSRequestExecutor(configuration: configuration, signingName: "s3", http: httpClient,
                                      logger: logger, strategy: retryStrategy)
        self.logger = logger
        self.partSize = max(partSize, Self.minimumPartSize)
        self.multipartThreshold = max(multipartThreshold, self.partSize)
    }

    // MARK: addressing

    /// The URL of a bucket (key nil) or an object, with an already-encoded query.
    func url(bucket: String, key: String? = nil, query: String = "") -> String {
        let encodedKey = key.map { "/" + URIEncoding.encode($0, keepSlash: true) } ?? "/"
        let suffix = query.isEmpty ? "" : "?" + query
        if let endpointOverride {
            return "\(endpointOverride)/\(bucket)\(key == nil ? "" : encodedKey)\(suffix)"
        }
        // Names with dots break the wildcard TLS certificate of virtual hosts.
        if Self.isVirtualHostable(bucket) {
            return "https://\(bucket).s3.\(region).\(dnsSuffix)\(encodedKey)\(suffix)"
        }
        return "https://s3.\(region).\(dnsSuffix)/\(bucket)\(key == nil ? "" : encodedKey)\(suffix)"
    }

    static func isVirtualHostable(_ bucket: String) -> Bool {
        guard (3...63).contains(bucket.count), !bucket.contains(".") else { return false }
        return bucket.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
    }

    static func query(_ pairs: [(String, String?)]) -> String {
        pairs.map { name, value in
            value.map { "\(URIEncoding.encode(name))=\(URIEncoding.encode($0))" } ?? URIEncoding.encode(name)
        }.joined(separator: "&")
    }

    func perform(_ request: AWSRequest, _ operation: String, to destination: HTTPResponseDestination = .memory,
                 options: AWSCallOptions) throws(S3Error) -> HTTPResponse {
        do {
            return try executor.perform(request, operation: operation, responseBodyTo: destination, options: options)
        } catch {
            throw S3Error(error)
        }
    }

    /// File bodies over TLS are sent with `UNSIGNED-PAYLOAD` (TLS guards integrity, and
    /// the file is read once instead of twice); over plain HTTP they are hashed.
    func filePayload(url: String) -> SigV4Signer.Payload? {
        url.hasPrefix("https://") ? .unsigned : nil
    }

    static func metadata(_ response: HTTPResponse) -> S3ObjectMetadata {
        var user: [String: String] = [:]
        for header in response.headers where header.name.lowercased().hasPrefix("x-amz-meta-") {
            user[String(header.name.lowercased().dropFirst("x-amz-meta-".count))] = header.value
        }
        return S3ObjectMetadata(
            contentLength: response.header("Content-Length").flatMap { UInt64($0) } ?? response.bodyLength,
            contentType: response.header("Content-Type"),
            etag: response.header("ETag").map(unquote),
            lastModified: response.header("Last-Modified"),
            serverSideEncryption: response.header("x-amz-server-side-encryption"),
            versionId: response.header("x-amz-version-id"),
            metadata: user)
    }

    static func unquote(_ etag: String) -> String {
        etag.count >= 2 && etag.hasPrefix("\"") && etag.hasSuffix("\"") ? String(etag.dropFirst().dropLast()) : etag
    }

    static func objectHeaders(contentType: String?, serverSideEncryption: Bool, metadata: [String: String]) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        headers.append(("Content-Type", contentType ?? "application/octet-stream"))
        if serverSideEncryption { headers.append(("x-amz-server-side-encryption", "AES256")) }
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) { headers.append(("x-amz-meta-\(name)", value)) }
        return headers
    }

    // MARK: objects

    /// PutObject from memory.
    @discardableResult
    public func putObject(
        bucket: String, key: String, data: [UInt8], contentType: String? = nil, serverSideEncryption: Bool = true,
        metadata: [String: String] = [:], options: AWSCallOptions = .standard
    ) throws(S3Error) -> S3PutResult {
        var headers = Self.objectHeaders(contentType: contentType, serverSideEncryption: serverSideEncryption, metadata: metadata)
        headers.append(("Content-MD5", Base64.encode(MD5.hash(data))))
        let request = AWSRequest(method: "PUT", url: url(bucket: bucket, key: key), headers: headers,
                                 body: .bytes(data), isTransfer: true)
        let response = try perform(request, "PutObject", options: options)
        return S3PutResult(etag: response.header("ETag").map(Self.unquote), versionId: response.header("x-amz-version-id"), parts: 0)
    }

    /// PutObject from a file, streamed; files above `multipartThreshold` go up in
    /// parts of `partSize`, one part in memory at most (libcurl reads it from disk as
    /// it sends), and a failed multipart upload is aborted.
    @discardableResult
    public func putObject(
        bucket: String, key: String, fileAt path: String, contentType: String? = nil,
        serverSideEncryption: Bool = true, metadata: [String: String] = [:], options: AWSCallOptions = .standard
    ) throws(S3Error) -> S3PutResult {
        let size: UInt64
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        } catch {
            throw S3Error.localFile("cannot stat \(path): \(error.localizedDescription)")
        }
        if size > multipartThreshold {
            return try multipartUpload(bucket: bucket, key: key, path: path, size: size, contentType: contentType,
                                       serverSideEncryption: serverSideEncryption, metadata: metadata, options: options)
        }
        let target = url(bucket: bucket, key: key)
        let request = AWSRequest(
            method: "PUT", url: target,
            headers: Self.objectHeaders(contentType: contentType, serverSideEncryption: serverSideEncryption, metadata: metadata),
            body: .file(path: path, offset: 0, length: size), payload: filePayload(url: target), isTransfer: true)
        let response = try perform(request, "PutObject", options: options)
        return S3PutResult(etag: response.header("ETag").map(Self.unquote), versionId: response.header("x-amz-version-id"), parts: 0)
    }

    /// GetObject streamed into a file. The file appears complete or not at all: the
    /// body goes to a temporary sibling that is renamed on success.
    @discardableResult
    public func getObject(bucket: String, key: String, toFile path: String,
                          options: AWSCallOptions = .standard) throws(S3Error) -> S3ObjectMetadata {
        let temporary = path + ".part-" + SecureRandom.hexString(byteCount: 6)
        let request = AWSRequest(method: "GET", url: url(bucket: bucket, key: key), headers: [], isTransfer: true)
        do throws(S3Error) {
            let response = try perform(request, "GetObject", to: .file(path: temporary), options: options)
            if FileManager.default.fileExists(atPath: path) { try? FileManager.default.removeItem(atPath: path) }
            do {
                try FileManager.default.moveItem(atPath: temporary, toPath: path)
            } catch {
                throw S3Error.localFile("cannot move the download to \(path): \(error.localizedDescription)")
            }
            return Self.metadata(response)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    /// GetObject into memory (small objects).
    public func getObject(bucket: String, key: String,
                          options: AWSCallOptions = .standard) throws(S3Error) -> (body: [UInt8], metadata: S3ObjectMetadata) {
        let request = AWSRequest(method: "GET", url: url(bucket: bucket, key: key), headers: [], isTransfer: true)
        let response = try perform(request, "GetObject", options: options)
        return (response.body, Self.metadata(response))
    }

    /// HeadObject: the object's metadata, or nil when it does not exist.
    public func headObject(bucket: String, key: String,
                           options: AWSCallOptions = .standard) throws(S3Error) -> S3ObjectMetadata? {
        let request = AWSRequest(method: "HEAD", url: url(bucket: bucket, key: key), headers: [])
        do {
            return Self.metadata(try perform(request, "HeadObject", options: options))
        } catch S3Error.other(404, _, _) {
            return nil
        } catch S3Error.noSuchKey {
            return nil
        }
    }

    /// DeleteObject (succeeds when the key does not exist, as S3 does).
    public func deleteObject(bucket: String, key: String, options: AWSCallOptions = .standard) throws(S3Error) {
        let request = AWSRequest(method: "DELETE", url: url(bucket: bucket, key: key), headers: [])
        _ = try perform(request, "DeleteObject", options: options)
    }

    /// ListObjectsV2, one page.
    public func listObjectsV2(
        bucket: String, prefix: String? = nil, delimiter: String? = nil, continuationToken: String? = nil,
        maxKeys: Int? = nil, options: AWSCallOptions = .standard
    ) throws(S3Error) -> S3ListPage {
        var pairs: [(String, String?)] = [("list-type", "2")]
        if let prefix { pairs.append(("prefix", prefix)) }
        if let delimiter { pairs.append(("delimiter", delimiter)) }
        if let continuationToken { pairs.append(("continuation-token", continuationToken)) }
        if let maxKeys { pairs.append(("max-keys", String(maxKeys))) }
        let request = AWSRequest(method: "GET", url: url(bucket: bucket, query: Self.query(pairs)), headers: [])
        let response = try perform(request, "ListObjectsV2", options: options)
        let root: XMLElement
        do { root = try XMLElement.parse(response.body) } catch { throw S3Error.invalidResponse("ListObjectsV2: \(error)") }
        let objects = root.children("Contents").map { entry in
            S3ObjectSummary(key: entry.text(of: "Key") ?? "", size: entry.text(of: "Size").flatMap { UInt64($0) } ?? 0,
                            etag: entry.text(of: "ETag").map(Self.unquote), lastModified: entry.text(of: "LastModified"))
        }
        let truncated = root.text(of: "IsTruncated") == "true"
        return S3ListPage(objects: objects,
                          commonPrefixes: root.children("CommonPrefixes").compactMap { $0.text(of: "Prefix") },
                          nextContinuationToken: truncated ? root.text(of: "NextContinuationToken") : nil)
    }

    /// A presigned GET URL valid for `expiresIn` seconds (at most 7 days), signed
    /// with the current credentials (temporary credentials end it sooner).
    public func presignedGetURL(bucket: String, key: String, expiresIn: Int = 3600,
                                date: Date = Date()) throws(S3Error) -> String {
        let credentials: AWSCredentials
        do { credentials = try executor.configuration.credentialProvider.credentials() } catch {
            throw S3Error.credentials("\(error)")
        }
        let signer = SigV4Signer(credentials: credentials, service: "s3", region: region)
        do {
            return try signer.presign(url: url(bucket: bucket, key: key), expires: expiresIn, date: date)
        } catch {
            throw S3Error.invalidResponse("\(error)")
        }
    }
}
