/// What HeadObject and GetObject report about an object.
public struct S3ObjectMetadata: Sendable, Equatable {
    public var contentLength: UInt64
    public var contentType: String?
    /// The entity tag, quotes removed.
    public var etag: String?
    /// The `Last-Modified` header as sent (RFC 1123).
    public var lastModified: String?
    /// `AES256` or `aws:kms` when the object is encrypted at rest.
    public var serverSideEncryption: String?
    public var versionId: String?
    /// User metadata (`x-amz-meta-*`), names without the prefix, lowercased.
    public var metadata: [String: String]
}

/// The result of a PutObject (single or multipart).
public struct S3PutResult: Sendable, Equatable {
    /// The entity tag, quotes removed (multipart tags end in `-<parts>`).
    public var etag: String?
    public var versionId: String?
    /// Parts uploaded; 0 for a single PUT.
    public var parts: Int
}

/// One object of a listing.
public struct S3ObjectSummary: Sendable, Equatable {
    public var key: String
    public var size: UInt64
    public var etag: String?
    public var lastModified: String?
}

/// One page of ListObjectsV2.
public struct S3ListPage: Sendable {
    public var objects: [S3ObjectSummary]
    /// Grouped key prefixes when a delimiter was given.
    public var commonPrefixes: [String]
    /// Pass to the next call; nil on the last page.
    public var nextContinuationToken: String?
}
