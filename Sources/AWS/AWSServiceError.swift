import HTTPClient

/// An error answer from an AWS service, parsed from a JSON or an XML body.
public struct AWSServiceError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public var status: Int
    /// The error code without namespace (`ConditionalCheckFailedException`, `NoSuchKey`, …).
    public var code: String
    /// The service's message.
    public var message: String
    /// The request id, for AWS support.
    public var requestId: String?
    /// The parsed JSON body, for fields beyond code and message (CancellationReasons, Item).
    var json: JSON?

    public var description: String {
        "\(code) (HTTP \(status)): \(message)" + (requestId.map { " [request \($0)]" } ?? "")
    }

    init(status: Int, code: String, message: String, requestId: String? = nil, json: JSON? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.requestId = requestId
        self.json = json
    }

    /// Reads an error response: JSON (`__type`/`code`, `message`/`Message`), XML
    /// (`<Error><Code>…<Message>…`, also inside `<ErrorResponse>`), the
    /// `x-amzn-ErrorType` header, or, for bodiless answers (HEAD), the status alone.
    init(response: HTTPResponse) {
        status = response.status
        requestId = response.header("x-amzn-RequestId") ?? response.header("x-amz-request-id")
        var code: String?
        var message: String?
        let body = response.body
        let firstByte = body.first { ![0x20, 0x09, 0x0a, 0x0d].contains($0) }
        if firstByte == UInt8(ascii: "{"), let parsed = try? JSON.parse(body) {
            json = parsed
            code = (parsed["__type"] ?? parsed["code"] ?? parsed["Code"])?.string
            message = (parsed["message"] ?? parsed["Message"] ?? parsed["errorMessage"])?.string
        } else if firstByte == UInt8(ascii: "<"), let root = try? XMLElement.parse(body) {
            code = root.first(named: "Code")?.text
            message = root.first(named: "Message")?.text
            if requestId == nil { requestId = root.first(named: "RequestId")?.text }
        }
        if code == nil, let header = response.header("x-amzn-ErrorType") {
            code = String(header.split(separator: ":").first ?? Substring(header))
        }
        // JSON protocols namespace the code: "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException".
        if let namespaced = code, let hash = namespaced.lastIndex(of: "#") {
            code = String(namespaced[namespaced.index(after: hash)...])
        }
        self.code = code ?? Self.code(forStatus: response.status)
        self.message = message ?? (body.isEmpty ? "HTTP \(response.status) (the answer had no body to say why; HEAD never does)"
                                                : String(decoding: body.prefix(512), as: UTF8.self))
    }

    static func code(forStatus status: Int) -> String {
        switch status {
        case 301, 307: "PermanentRedirect"
        case 400: "BadRequest"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 412: "PreconditionFailed"
        case 500: "InternalError"
        case 503: "ServiceUnavailable"
        default: "HTTP\(status)"
        }
    }
}

/// Why an AWS request failed, before a service client gives it its own type.
enum AWSFailure: Error {
    case service(AWSServiceError)
    case transport(HTTPClientError)
    case credentials(AWSCredentialsError)
    case deadlineExceeded
    case invalidRequest(String)
}
