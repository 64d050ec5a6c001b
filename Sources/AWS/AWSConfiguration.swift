import Foundation

/// Everything the AWS clients need from the environment: region, credentials,
/// endpoints, retry and timeout settings.
///
/// Built from a dictionary (the merged `.env` and process environment), never by
/// reading the process environment deep inside.
public struct AWSConfiguration: Sendable {
    /// The region requests are signed for and sent to.
    public var region: String
    /// Where credentials come from (cached; safe to share between threads).
    public var credentialProvider: any CredentialProvider
    /// Endpoint overrides by service id (`dynamodb`, `s3`); `AWS_ENDPOINT_URL` as the fallback.
    public var endpointOverrides: [String: String]
    /// The endpoint for every service without its own override.
    public var defaultEndpointOverride: String?
    /// Attempts per request, first included (`AWS_MAX_ATTEMPTS`, default 3).
    public var maxAttempts: Int
    /// Time to establish a connection.
    public var connectTimeout: Duration
    /// Time for one attempt of a small (JSON, metadata) request.
    public var requestTimeout: Duration
    /// Time for one attempt of a request that moves an object body.
    public var transferTimeout: Duration

    /// Reads the configuration from `environment`.
    ///
    /// - Region: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the profile's
    ///   `region`, then `us-east-1`.
    /// - Credentials: environment, shared files (`AWS_PROFILE`), container
    ///   endpoint, EC2 instance metadata; cached and refreshed before expiry.
    /// - Endpoints: `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_S3`, …, then
    ///   `AWS_ENDPOINT_URL`; unset means the public AWS endpoints.
    public init(environment: [String: String]) {
        let files = ProfileFiles(environment: environment)
        let profileName = environment["AWS_PROFILE"].nonEmpty ?? environment["AWS_DEFAULT_PROFILE"].nonEmpty ?? "default"
        region = environment["AWS_REGION"].nonEmpty ?? environment["AWS_DEFAULT_REGION"].nonEmpty
            ?? files.profile(profileName)?["region"].nonEmpty ?? "us-east-1"
        credentialProvider = CachedCredentialProvider(CredentialChain([
            EnvironmentCredentialProvider(environment: environment),
            ProfileCredentialProvider(environment: environment),
            ContainerCredentialProvider(environment: environment),
            InstanceMetadataCredentialProvider(environment: environment),
        ]))
        var overrides: [String: String] = [:]
        for (key, value) in environment where key.hasPrefix("AWS_ENDPOINT_URL_") {
            guard let url = Optional(value).nonEmpty else { continue }
            overrides[key.dropFirst("AWS_ENDPOINT_URL_".count).lowercased()] = url
        }
        endpointOverrides = overrides
        defaultEndpointOverride = environment["AWS_ENDPOINT_URL"].nonEmpty
        maxAttempts = max(1, Int(environment["AWS_MAX_ATTEMPTS"] ?? "") ?? 3)
        connectTimeout = .seconds(3)
        requestTimeout = .seconds(10)
        transferTimeout = .seconds(300)
    }

    /// A configuration with explicit values (tests, tools).
    public init(region: String, credentials: any CredentialProvider, endpoint: String? = nil, maxAttempts: Int = 3) {
        self.region = region
        credentialProvider = credentials
        endpointOverrides = [:]
        defaultEndpointOverride = endpoint
        self.maxAttempts = maxAttempts
        connectTimeout = .seconds(3)
        requestTimeout = .seconds(10)
        transferTimeout = .seconds(300)
    }

    /// The overridden endpoint of a service (`dynamodb`, `s3`), if any.
    public func endpointOverride(for service: String) -> String? {
        let url = endpointOverrides[service.lowercased()] ?? defaultEndpointOverride
        guard var url else { return nil }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// The DNS suffix of the region's partition.
    var dnsSuffix: String {
        region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
    }
}
