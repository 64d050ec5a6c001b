import XCTest
import HTTPClient
@testable import AWS

final class ErrorParsingTests: XCTestCase {
    func response(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    func testDynamoDBJSONError() {
        let error = AWSServiceError(response: response(400,
            #"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"id":{"S":"a"}}}"#,
            headers: [("x-amzn-RequestId", "RID")]))
        XCTAssertEqual(error.code, "ConditionalCheckFailedException")
        XCTAssertEqual(error.message, "The conditional request failed")
        XCTAssertEqual(error.requestId, "RID")
        guard case .conditionalCheckFailed(let message, let item) = DynamoDBError(service: error) else {
            return XCTFail("wrong case")
        }
        XCTAssertEqual(message, "The conditional request failed")
        XCTAssertEqual(item, ["id": "a"])
    }

    func testCapitalizedMessageAndTransactionReasons() {
        let error = AWSServiceError(response: response(400,
            #"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"Transaction cancelled","CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]}"#))
        guard case .transactionCanceled(let message, let reasons) = DynamoDBError(service: error) else {
            return XCTFail("wrong case")
        }
        XCTAssertEqual(message, "Transaction cancelled")
        XCTAssertEqual(reasons.map(\.code), ["None", "ConditionalCheckFailed"])
    }

    func testMotoXMLAuthErrorsForDynamoDB() {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error></Errors><RequestId>7a62c49f</RequestId></ErrorResponse>
        """
        let error = AWSServiceError(response: response(403, xml))
        XCTAssertEqual(error.code, "SignatureDoesNotMatch")
        XCTAssertEqual(error.requestId, "7a62c49f")
        guard case .signatureMismatch(let message) = DynamoDBError(service: error) else { return XCTFail("wrong case") }
        XCTAssertTrue(message.contains("does not match"))

        let denied = AWSServiceError(response: response(403,
            "<ErrorResponse><Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/x is not authorized</Message></Error></ErrorResponse>"))
        guard case .accessDenied = DynamoDBError(service: denied) else { return XCTFail("wrong case") }
        let unknown = AWSServiceError(response: response(403, "<ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>bad</Message></Error></ErrorResponse>"))
        guard case .invalidToken("InvalidClientTokenId", "bad") = DynamoDBError(service: unknown) else { return XCTFail("wrong case") }
    }

    func testS3XMLError() {
        let error = AWSServiceError(response: response(404,
            "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>k</Key><RequestId>R1</RequestId></Error>"))
        guard case .noSuchKey(let message) = S3Error(service: error) else { return XCTFail("wrong case") }
        XCTAssertEqual(message, "The specified key does not exist.")
        XCTAssertEqual(error.requestId, "R1")
    }

    func testBodilessAndHeaderOnlyErrors() {
        let head = AWSServiceError(response: response(404, ""))
        XCTAssertEqual(head.code, "NotFound")
        let typed = AWSServiceError(response: response(400, "", headers: [("x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/")]))
        XCTAssertEqual(typed.code, "ValidationException")
        let throttled = AWSServiceError(response: response(400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate exceeded"}"#))
        guard case .throttling("ThrottlingException", "Rate exceeded") = DynamoDBError(service: throttled) else { return XCTFail("wrong case") }
    }
}
