import CryptoCore

extension S3Client {
    /// CreateBucket, in the client's region (with a LocationConstraint outside
    /// us-east-1). Returns false when the bucket already exists and is ours.
    @discardableResult
    public func createBucket(_ bucket: String, options: AWSCallOptions = .standard) throws(S3Error) -> Bool {
        var body: [UInt8] = []
        if region != "us-east-1" {
            body = Array(("<CreateBucketConfiguration xmlns=\"\(Self.xmlNamespace)\"><LocationConstraint>"
                + XMLElement.escape(region) + "</LocationConstraint></CreateBucketConfiguration>").utf8)
        }
        let request = AWSRequest(method: "PUT", url: url(bucket: bucket), headers: body.isEmpty ? [] : [("Content-Type", "application/xml")],
                                 body: body.isEmpty ? .empty : .bytes(body))
        do {
            _ = try perform(request, "CreateBucket", options: options)
            return true
        } catch .bucketAlreadyOwnedByYou {
            return false
        }
    }

    /// HeadBucket: whether the bucket exists and is reachable with these credentials
    /// (false on 404; a 403 throws `.accessDenied`).
    public func headBucket(_ bucket: String, options: AWSCallOptions = .standard) throws(S3Error) -> Bool {
        let request = AWSRequest(method: "HEAD", url: url(bucket: bucket), headers: [])
        do {
            _ = try perform(request, "HeadBucket", options: options)
            return true
        } catch S3Error.other(404, _, _) {
            return false
        } catch .noSuchBucket {
            return false
        } catch S3Error.other(403, _, let message) {
            throw S3Error.accessDenied(message: message)
        }
    }

    /// PutBucketEncryption: default encryption SSE-S3 (AES256) for new objects.
    public func putBucketEncryptionAES256(_ bucket: String, options: AWSCallOptions = .standard) throws(S3Error) {
        let xml = "<ServerSideEncryptionConfiguration xmlns=\"\(Self.xmlNamespace)\"><Rule><ApplyServerSideEncryptionByDefault>"
            + "<SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>"
        try putBucketSubresource(bucket, "encryption", xml, "PutBucketEncryption", options)
    }

    /// PutBucketVersioning: enables (or suspends) versioning.
    public func putBucketVersioning(_ bucket: String, enabled: Bool = true, options: AWSCallOptions = .standard) throws(S3Error) {
        let xml = "<VersioningConfiguration xmlns=\"\(Self.xmlNamespace)\"><Status>\(enabled ? "Enabled" : "Suspended")</Status></VersioningConfiguration>"
        try putBucketSubresource(bucket, "versioning", xml, "PutBucketVersioning", options)
    }

    /// GetBucketVersioning: `Enabled`, `Suspended`, or nil when never configured.
    public func bucketVersioningStatus(_ bucket: String, options: AWSCallOptions = .standard) throws(S3Error) -> String? {
        let request = AWSRequest(method: "GET", url: url(bucket: bucket, query: "versioning"), headers: [])
        let response = try perform(request, "GetBucketVersioning", options: options)
        return (try? XMLElement.parse(response.body))?.text(of: "Status")
    }

    /// GetBucketEncryption: the default SSE algorithm, or nil when none is configured.
    public func bucketEncryptionAlgorithm(_ bucket: String, options: AWSCallOptions = .standard) throws(S3Error) -> String? {
        let request = AWSRequest(method: "GET", url: url(bucket: bucket, query: "encryption"), headers: [])
        do {
            let response = try perform(request, "GetBucketEncryption", options: options)
            return (try? XMLElement.parse(response.body))?.first(named: "SSEAlgorithm")?.text
        } catch S3Error.other(_, "ServerSideEncryptionConfigurationNotFoundError", _) {
            return nil
        }
    }

    /// S3 requires Content-MD5 on these configuration PUTs.
    private func putBucketSubresource(_ bucket: String, _ subresource: String, _ xml: String, _ operation: String,
                                      _ options: AWSCallOptions) throws(S3Error) {
        let body = Array(xml.utf8)
        let request = AWSRequest(method: "PUT", url: url(bucket: bucket, query: subresource),
                                 headers: [("Content-Type", "application/xml"), ("Content-MD5", Base64.encode(MD5.hash(body)))],
                                 body: .bytes(body))
        _ = try perform(request, operation, options: options)
    }
}
