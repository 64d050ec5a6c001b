import XCTest
import TestSupport
import Foundation
@testable import AWS

final class CredentialsTests: XCTestCase {
    func testEnvironmentProvider() throws {
        let provider = EnvironmentCredentialProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "SECRET", "AWS_SESSION_TOKEN": "TOKEN",
        ])
        XCTAssertEqual(try provider.credentials(), AWSCredentials(accessKeyId: "AKID", secretAccessKey: "SECRET", sessionToken: "TOKEN"))
        XCTAssertThrowsError(try EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "AKID"]).credentials())
    }

    func testProfileFilesAndRegion() throws {
        let directory = NSTemporaryDirectory() + "aws-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
        [default]
        aws_access_key_id = DEFAULTKEY
        aws_secret_access_key = defaultsecret
        # a comment
        [work]
        aws_access_key_id=WORKKEY
        aws_secret_access_key=worksecret
        aws_session_token = worktoken
        """.write(toFile: directory + "/credentials", atomically: true, encoding: .utf8)
        try """
        [default]
        region = eu-west-1
        [profile work]
        region = ap-south-1
        s3 =
          addressing_style = path
        """.write(toFile: directory + "/config", atomically: true, encoding: .utf8)
        let base = ["AWS_SHARED_CREDENTIALS_FILE": directory + "/credentials", "AWS_CONFIG_FILE": directory + "/config"]
        XCTAssertEqual(try ProfileCredentialProvider(environment: base).credentials().accessKeyId, "DEFAULTKEY")
        var work = base
        work["AWS_PROFILE"] = "work"
        let credentials = try ProfileCredentialProvider(environment: work).credentials()
        XCTAssertEqual(credentials.sessionToken, "worktoken")
        XCTAssertEqual(AWSConfiguration(environment: work).region, "ap-south-1")
        XCTAssertEqual(AWSConfiguration(environment: base).region, "eu-west-1")
        work["AWS_DEFAULT_REGION"] = "us-west-2"
        XCTAssertEqual(AWSConfiguration(environment: work).region, "us-west-2")
        work["AWS_REGION"] = "ca-central-1"
        XCTAssertEqual(AWSConfiguration(environment: work).region, "ca-central-1")
        // The whole chain: environment keys come before the profile.
        work["AWS_ACCESS_KEY_ID"] = "ENVKEY"
        work["AWS_SECRET_ACCESS_KEY"] = "envsecret"
        XCTAssertEqual(try AWSConfiguration(environment: work).credentialProvider.credentials().accessKeyId, "ENVKEY")
    }

    func testDefaultsAndEndpointOverrides() {
        let empty = AWSConfiguration(environment: ["HOME": "/nonexistent"])
        XCTAssertEqual(empty.region, "us-east-1")
        XCTAssertNil(empty.endpointOverride(for: "dynamodb"))
        let local = AWSConfiguration(environment: [
            "HOME": "/nonexistent", "AWS_ENDPOINT_URL": "http://127.0.0.1:4566/", "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9000",
        ])
        XCTAssertEqual(local.endpointOverride(for: "dynamodb"), "http://127.0.0.1:4566")
        XCTAssertEqual(local.endpointOverride(for: "s3"), "http://127.0.0.1:9000")
        XCTAssertEqual(DynamoDBClient(configuration: local).endpoint, "http://127.0.0.1:4566")
        XCTAssertEqual(DynamoDBClient(configuration: empty).endpoint, "https://dynamodb.us-east-1.amazonaws.com")
    }

    func testS3Addressing() {
        let credentials = StaticCredentialProvider(AWSCredentials(accessKeyId: "a", secretAccessKey: "b"))
        let aws = S3Client(configuration: AWSConfiguration(region: "eu-west-1", credentials: credentials))
        XCTAssertEqual(aws.url(bucket: "recordings", key: "recordings/CA 1+é.mp3"),
                       "https://recordings.s3.eu-west-1.amazonaws.com/recordings/CA%201%2B%C3%A9.mp3")
        XCTAssertEqual(aws.url(bucket: "my.dotted.bucket", key: "k"), "https://s3.eu-west-1.amazonaws.com/my.dotted.bucket/k")
        XCTAssertEqual(aws.url(bucket: "recordings", query: "versioning"), "https://recordings.s3.eu-west-1.amazonaws.com/?versioning")
        let local = S3Client(configuration: AWSConfiguration(region: "us-east-1", credentials: credentials, endpoint: "http://127.0.0.1:4566"))
        XCTAssertEqual(local.url(bucket: "b", key: "a/b.txt"), "http://127.0.0.1:4566/b/a/b.txt")
        XCTAssertEqual(local.url(bucket: "b", query: "encryption"), "http://127.0.0.1:4566/b?encryption")
    }

    func testContainerCredentialsWithAuthToken() throws {
        let server = try TestHTTPServer { request, _ in
            guard request.headers["authorization"] == "container-token", request.path == "/creds" else {
                return .init(status: 401)
            }
            return .json(200, #"{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"s","Token":"t","Expiration":"2099-01-01T00:00:00Z"}"#)
        }
        defer { server.stop() }
        let provider = ContainerCredentialProvider(environment: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-token",
        ])
        let credentials = try provider.credentials()
        XCTAssertEqual(credentials.accessKeyId, "ASIACONTAINER")
        XCTAssertEqual(credentials.sessionToken, "t")
        XCTAssertEqual(credentials.expiration, AMZDate.parseISO8601("2099-01-01T00:00:00Z"))
        XCTAssertFalse(ContainerCredentialProvider.isAllowed(fullURI: "http://example.com/creds"))
        XCTAssertTrue(ContainerCredentialProvider.isAllowed(fullURI: "https://example.com/creds"))
    }

    func testInstanceMetadataV2TokenFirst() throws {
        let server = try TestHTTPServer { request, _ in
            switch (request.method, request.path) {
            case ("PUT", "/latest/api/token"):
                return request.headers["x-aws-ec2-metadata-token-ttl-seconds"] != nil
                    ? .init(status: 200, body: Array("imds-token".utf8)) : .init(status: 400)
            case ("GET", _) where request.headers["x-aws-ec2-metadata-token"] != "imds-token":
                return .init(status: 401)
            case ("GET", "/latest/meta-data/iam/security-credentials/"):
                return .init(status: 200, body: Array("app-role\n".utf8))
            case ("GET", "/latest/meta-data/iam/security-credentials/app-role"):
                return .json(200, #"{"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"s","Token":"t","Expiration":"2099-01-01T00:00:00Z"}"#)
            default:
                return .init(status: 404)
            }
        }
        defer { server.stop() }
        let provider = InstanceMetadataCredentialProvider(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL])
        XCTAssertEqual(try provider.credentials().accessKeyId, "ASIAIMDS")
        XCTAssertEqual(server.requests.map(\.method), ["PUT", "GET", "GET"])
        XCTAssertThrowsError(try InstanceMetadataCredentialProvider(environment: ["AWS_EC2_METADATA_DISABLED": "true"]).credentials())
    }

    final class CountingProvider: CredentialProvider, @unchecked Sendable {
        private let lock = NSLock()
        private var calls = 0
        let lifetime: TimeInterval
        let clock: @Sendable () -> Date
        init(lifetime: TimeInterval, clock: @escaping @Sendable () -> Date) {
            self.lifetime = lifetime
            self.clock = clock
        }
        var count: Int { lock.withLock { calls } }
        func credentials() throws -> AWSCredentials {
            let n = lock.withLock { calls += 1; return calls }
            return AWSCredentials(accessKeyId: "KEY\(n)", secretAccessKey: "s", sessionToken: "t",
                                  expiration: clock().addingTimeInterval(lifetime))
        }
    }

    final class FakeClock: @unchecked Sendable {
        private let lock = NSLock()
        private var current = Date(timeIntervalSince1970: 1_700_000_000)
        func now() -> Date { lock.withLock { current } }
        func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
    }

    func testCacheRefreshesBeforeExpiry() throws {
        let clock = FakeClock()
        let base = CountingProvider(lifetime: 3600, clock: { clock.now() })
        let cached = CachedCredentialProvider(base, refreshMargin: 300, now: { clock.now() })
        XCTAssertEqual(try cached.credentials().accessKeyId, "KEY1")
        clock.advance(3000)
        XCTAssertEqual(try cached.credentials().accessKeyId, "KEY1", "still more than 5 minutes left")
        clock.advance(400)
        XCTAssertEqual(try cached.credentials().accessKeyId, "KEY2", "refreshed within the margin")
        XCTAssertEqual(base.count, 2)
        DispatchQueue.concurrentPerform(iterations: 16) { _ in _ = try? cached.credentials() }
        XCTAssertEqual(base.count, 2, "concurrent readers share the cached value")
    }
}
