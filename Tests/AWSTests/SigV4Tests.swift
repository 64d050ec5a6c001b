import XCTest
@testable import AWS

/// Vectors from AWS's SigV4 test suite and S3 documentation (confirmed with botocore).
final class SigV4Tests: XCTestCase {
    let suiteCredentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    let suiteDate = Date(timeIntervalSince1970: 1_440_938_160) // 2015-08-30T12:36:00Z
    let s3Credentials = AWSCredentials(accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    let s3Date = Date(timeIntervalSince1970: 1_369_353_600) // 2013-05-24T00:00:00Z

    func signature(_ authorization: String) -> String {
        String(authorization.split(separator: "=").last ?? "")
    }

    func testGetVanilla() throws {
        let signer = SigV4Signer(credentials: suiteCredentials, service: "service", region: "us-east-1")
        let signed = try signer.sign(method: "GET", url: "https://example.amazonaws.com/", payload: .bytes([]), date: suiteDate)
        XCTAssertEqual(signed.authorization,
                       "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        XCTAssertTrue(signed.headers.contains { $0.name == "X-Amz-Date" && $0.value == "20150830T123600Z" })
    }

    func testGetVanillaQueryOrderKeyCase() throws {
        let signer = SigV4Signer(credentials: suiteCredentials, service: "service", region: "us-east-1")
        let signed = try signer.sign(method: "GET", url: "https://example.amazonaws.com/?Param2=value2&Param1=value1",
                                     payload: .bytes([]), date: suiteDate)
        XCTAssertEqual(signature(signed.authorization), "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
        XCTAssertTrue(signed.canonicalRequest.contains("\nParam1=value1&Param2=value2\n"))
    }

    func testPostVanilla() throws {
        let signer = SigV4Signer(credentials: suiteCredentials, service: "service", region: "us-east-1")
        let signed = try signer.sign(method: "POST", url: "https://example.amazonaws.com/", payload: .bytes([]), date: suiteDate)
        XCTAssertEqual(signature(signed.authorization), "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")
    }

    func testNonS3PathIsNormalizedAndEncodedTwice() throws {
        let signer = SigV4Signer(credentials: suiteCredentials, service: "service", region: "us-east-1")
        let signed = try signer.sign(method: "GET", url: "https://example.amazonaws.com/a%20b/../c//d%C3%A9/",
                                     payload: .bytes([]), date: suiteDate)
        XCTAssertTrue(signed.canonicalRequest.hasPrefix("GET\n/c/d%25C3%25A9/\n"))
        XCTAssertEqual(signature(signed.authorization), "961fea02161a2705cee71046cfb6b5c427b6205f7397848501bc437bbc1e605c")
    }

    /// The suite's get-header-key-duplicate and get-header-value-trim cases: a
    /// repeated name's values in order, whitespace runs made one space, names
    /// lowercased and trimmed, unsigned headers left out, host added.
    func testHeadersAreCanonicalizedAsTheSuiteSays() throws {
        let signer = SigV4Signer(credentials: suiteCredentials, service: "service", region: "us-east-1")
        let signed = try signer.sign(
            method: "GET", url: "https://example.amazonaws.com:8443/",
            headers: [("My-Header1", "value2"), (" My-HEADER1\t", "value2"), ("My-Header1", "value1"),
                      ("My-Header2", " \"a   b \t  c\" "), ("User-Agent", "ignored"), ("X-Multi", "a\n b\r\nc")],
            payload: .bytes([]), date: suiteDate)
        let lines = signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(Array(lines[3...8]), [
            "host:example.amazonaws.com:8443", "my-header1:value2,value2,value1", "my-header2:\"a b c\"",
            "x-amz-date:20150830T123600Z", "x-multi:a b c", "",
        ])
        XCTAssertEqual(lines[9], "host;my-header1;my-header2;x-amz-date;x-multi")
        XCTAssertEqual(SigV4Signer.collapsingWhitespace("  é  \u{2003} x "), "é x", "Unicode whitespace outside ASCII")
    }

    /// The derived key is kept per credentials, day, region and service: a new
    /// secret under the same key id, another day or another region signs anew.
    func testDerivedKeysAreNotSharedAcrossSecretsDaysOrRegions() throws {
        func signature(secret: String, region: String = "us-east-1", date: Date) throws -> String {
            let signer = SigV4Signer(credentials: AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: secret),
                                     service: "service", region: region)
            return self.signature(try signer.sign(method: "GET", url: "https://example.amazonaws.com/",
                                                  payload: .bytes([]), date: date).authorization)
        }
        let vanilla = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        XCTAssertEqual(try signature(secret: suiteCredentials.secretAccessKey, date: suiteDate), vanilla)
        XCTAssertNotEqual(try signature(secret: "another-secret", date: suiteDate), vanilla)
        XCTAssertNotEqual(try signature(secret: suiteCredentials.secretAccessKey, region: "eu-west-1", date: suiteDate), vanilla)
        let nextDay = try signature(secret: suiteCredentials.secretAccessKey, date: suiteDate.addingTimeInterval(86_400))
        XCTAssertNotEqual(nextDay, vanilla)
        XCTAssertEqual(try signature(secret: suiteCredentials.secretAccessKey, date: suiteDate), vanilla, "still right")
    }

    func testDynamoDBWithSessionToken() throws {
        let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: suiteCredentials.secretAccessKey,
                                         sessionToken: "SESSIONTOKEN/+=")
        let signer = SigV4Signer(credentials: credentials, service: "dynamodb", region: "eu-west-1")
        let signed = try signer.sign(
            method: "POST", url: "https://dynamodb.eu-west-1.amazonaws.com/",
            headers: [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "DynamoDB_20120810.GetItem")],
            payload: .bytes(Array(#"{"TableName":"T"}"#.utf8)), date: suiteDate)
        XCTAssertEqual(signed.authorization,
                       "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=d4bf7ca492483167ddedab2aaddca4deb4154208bfe6cc1bd2d62b7af0baf3c5")
        XCTAssertTrue(signed.headers.contains { $0.name == "X-Amz-Security-Token" && $0.value == "SESSIONTOKEN/+=" })
        XCTAssertFalse(signed.headers.contains { $0.name.lowercased() == "x-amz-content-sha256" })
    }

    func testS3GetObjectDocumentationExample() throws {
        let signer = SigV4Signer(credentials: s3Credentials, service: "s3", region: "us-east-1")
        let signed = try signer.sign(method: "GET", url: "https://examplebucket.s3.amazonaws.com/test.txt",
                                     headers: [("Range", "bytes=0-9")], payload: .bytes([]), date: s3Date)
        XCTAssertEqual(signed.authorization,
                       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    func testS3PresignDocumentationExample() throws {
        let signer = SigV4Signer(credentials: s3Credentials, service: "s3", region: "us-east-1")
        let url = try signer.presign(url: "https://examplebucket.s3.amazonaws.com/test.txt", expires: 86400, date: s3Date)
        XCTAssertEqual(url, "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    }

    func testPresignExpiryLimits() {
        let signer = SigV4Signer(credentials: s3Credentials, service: "s3", region: "us-east-1")
        XCTAssertThrowsError(try signer.presign(url: "https://b.s3.amazonaws.com/k", expires: 604_801, date: s3Date))
        XCTAssertThrowsError(try signer.presign(url: "https://b.s3.amazonaws.com/k", expires: 0, date: s3Date))
        XCTAssertNoThrow(try signer.presign(url: "https://b.s3.amazonaws.com/k", expires: 604_800, date: s3Date))
    }

    func testS3UnsignedPayloadAndPathKeptAsIs() throws {
        let signer = SigV4Signer(credentials: s3Credentials, service: "s3", region: "us-east-1")
        let signed = try signer.sign(method: "PUT", url: "http://127.0.0.1:4566/bucket/a%20b/%C3%A9.txt",
                                     payload: .unsigned, date: s3Date)
        XCTAssertTrue(signed.canonicalRequest.hasPrefix("PUT\n/bucket/a%20b/%C3%A9.txt\n"))
        XCTAssertTrue(signed.canonicalRequest.contains("host:127.0.0.1:4566\n"))
        XCTAssertTrue(signed.canonicalRequest.hasSuffix("\nUNSIGNED-PAYLOAD"))
        XCTAssertTrue(signed.headers.contains { $0.name == "X-Amz-Content-SHA256" && $0.value == "UNSIGNED-PAYLOAD" })
    }

    func testCanonicalQueryRepeatedAndEmptyKeys() {
        let signer = SigV4Signer(credentials: s3Credentials, service: "s3", region: "us-east-1")
        XCTAssertEqual(signer.canonicalQuery("b=2&a=&a=1&uploads&c=%7e"), "a=&a=1&b=2&c=~&uploads=")
    }

    func testRemoveDotSegments() {
        XCTAssertEqual(SigV4Signer.removeDotSegments("/a/./b/../c//d/"), "/a/c/d/")
        XCTAssertEqual(SigV4Signer.removeDotSegments("/.."), "/")
        XCTAssertEqual(SigV4Signer.removeDotSegments("/a/b"), "/a/b")
    }

    func testAMZDateRoundTrip() {
        XCTAssertEqual(AMZDate.timestamp(suiteDate), "20150830T123600Z")
        XCTAssertEqual(AMZDate.parseISO8601("2015-08-30T12:36:00Z"), suiteDate)
        XCTAssertEqual(AMZDate.parseISO8601("2015-08-30T14:36:00+02:00"), suiteDate)
        XCTAssertEqual(AMZDate.parseISO8601("2015-08-30T12:36:00.500Z")?.timeIntervalSince1970, 1_440_938_160.5)
        XCTAssertNil(AMZDate.parseISO8601("yesterday"))
        XCTAssertEqual(AMZDate.timestamp(Date(timeIntervalSince1970: 951_782_400)), "20000229T000000Z")
    }

    func testCredentialsNeverPrintSecrets() {
        let credentials = AWSCredentials(accessKeyId: "AKID", secretAccessKey: "SECRET", sessionToken: "TOKEN")
        XCTAssertFalse("\(credentials)".contains("SECRET"))
        XCTAssertFalse("\(credentials)".contains("TOKEN"))
    }
}

final class URLPartsTests: XCTestCase {
    func testPartsAreSplitWithoutNormalizing() throws {
        let parts = try URLParts("HTTPS://user:pw@Bucket.S3.Example.com:8443/a%2Fb/c?x=1&y=%20#frag")
        XCTAssertEqual(parts.scheme, "https")
        XCTAssertEqual(parts.host, "bucket.s3.example.com")
        XCTAssertEqual(parts.port, 8443)
        XCTAssertEqual(parts.path, "/a%2Fb/c")
        XCTAssertEqual(parts.query, "x=1&y=%20")
        XCTAssertEqual(parts.prefix, "HTTPS://user:pw@Bucket.S3.Example.com:8443")
        XCTAssertEqual(parts.hostHeader, "bucket.s3.example.com:8443")

        let bare = try URLParts("http://127.0.0.1:80?q")
        XCTAssertEqual([bare.host, bare.path, bare.query, bare.hostHeader, bare.origin],
                       ["127.0.0.1", "", "q", "127.0.0.1", "http://127.0.0.1:80"])
        let v6 = try URLParts("http://[::1]:4566/")
        XCTAssertEqual([v6.host, v6.path, v6.hostHeader], ["[::1]", "/", "[::1]:4566"])
    }

    func testWhatIsNotAnAbsoluteHTTPURLIsRefused() {
        for url in ["", "dynamodb.us-east-1.amazonaws.com/", "ftp://host/", "http:/host/", "http://:80/",
                    "http://host:port/", "mailto:someone://x"] {
            XCTAssertThrowsError(try URLParts(url), url)
        }
    }
}
