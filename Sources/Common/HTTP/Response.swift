import Foundation

/// What a handler answers.
public struct Response: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Work that goes on once the answer has been sent: the thread that
    /// answered does it before it takes another request. It must end on its
    /// own within a bounded time (a stopping process waits for it).
    public var afterSent: (@Sendable () -> Void)?

    public init(status: Int = 200, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func json<T: Encodable>(_ value: T, status: Int = 200) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(value)
        return Response(status: status, headers: [("Content-Type", "application/json")], body: Array(body))
    }

    /// TwiML and other XML documents.
    public static func xml(_ document: String, status: Int = 200) -> Response {
        xml(bytes: Array(document.utf8), status: status)
    }

    public static func xml(bytes: [UInt8], status: Int = 200) -> Response {
        Response(status: status, headers: [("Content-Type", "text/xml; charset=utf-8")], body: bytes)
    }

    public static func error(_ error: HTTPError) -> Response {
        let body = "{\"error\":\(JSONLine.quote(error.code)),\"detail\":\(JSONLine.quote(error.detail))}"
        return Response(status: error.status, headers: [("Content-Type", "application/json")] + error.headers,
                        body: Array(body.utf8))
    }

    /// The reason phrase FastCGI's `Status:` line carries.
    static func reason(for status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 409: return "Conflict"
        case 413: return "Payload Too Large"
        case 415: return "Unsupported Media Type"
        case 422: return "Unprocessable Content"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "Status"
        }
    }
}
