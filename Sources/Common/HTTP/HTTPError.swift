/// An answer other than success, rendered as `{"error": code, "detail": text}`.
/// `code` is a stable machine-readable word; `detail` tells a person what to fix.
public struct HTTPError: Error, Equatable, CustomStringConvertible {
    public let status: Int
    public let code: String
    public let detail: String
    public var headers: [(String, String)] = []

    public init(status: Int, code: String, detail: String, headers: [(String, String)] = []) {
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers
    }

    public var description: String { "\(status) \(code): \(detail)" }

    public static func == (lhs: HTTPError, rhs: HTTPError) -> Bool {
        lhs.status == rhs.status && lhs.code == rhs.code && lhs.detail == rhs.detail
    }

    public static func badRequest(_ detail: String) -> HTTPError {
        HTTPError(status: 400, code: "bad_request", detail: detail)
    }

    public static func unauthorized(_ detail: String) -> HTTPError {
        HTTPError(status: 401, code: "unauthorized", detail: detail, headers: [("WWW-Authenticate", "Bearer")])
    }

    public static func forbidden(_ detail: String) -> HTTPError {
        HTTPError(status: 403, code: "forbidden", detail: detail)
    }

    public static func notFound(_ detail: String) -> HTTPError {
        HTTPError(status: 404, code: "not_found", detail: detail)
    }

    public static func methodNotAllowed(_ method: String, allowed: [String]) -> HTTPError {
        HTTPError(status: 405, code: "method_not_allowed",
                  detail: "\(method) is not allowed here; use \(allowed.joined(separator: " or "))",
                  headers: [("Allow", allowed.joined(separator: ", "))])
    }

    public static func conflict(_ detail: String) -> HTTPError {
        HTTPError(status: 409, code: "conflict", detail: detail)
    }

    public static func payloadTooLarge(limit: Int) -> HTTPError {
        HTTPError(status: 413, code: "payload_too_large", detail: "request body is over the limit of \(limit) bytes")
    }

    public static func unsupportedMediaType(_ received: String?, expected: String) -> HTTPError {
        HTTPError(status: 415, code: "unsupported_media_type",
                  detail: "expected Content-Type \(expected), got \(received ?? "none")")
    }

    public static func unprocessable(_ detail: String) -> HTTPError {
        HTTPError(status: 422, code: "unprocessable", detail: detail)
    }

    public static func serviceUnavailable(_ detail: String) -> HTTPError {
        HTTPError(status: 503, code: "service_unavailable", detail: detail)
    }

    /// Never carries the underlying error's text: that goes to the log, not the client.
    public static let internalError = HTTPError(status: 500, code: "internal_error",
                                                detail: "the server failed to handle this request; it has been logged")
}
