/// One HTTP request: what to send and how long to wait for it.
public struct HTTPRequest: Sendable {
    /// The method, e.g. `GET`, `PUT`, `POST`, `HEAD`, `DELETE`.
    public var method: String
    /// The absolute URL, already percent-encoded.
    public var url: String
    /// Header fields in the order they are sent; names are sent as given.
    public var headers: [(name: String, value: String)]
    /// What to send after the headers.
    public var body: HTTPRequestBody
    /// Longest time to establish the connection (TCP and TLS).
    public var connectTimeout: Duration
    /// Longest time for the whole exchange, connection included.
    public var timeout: Duration

    /// A request; timeouts default to 3 s to connect and 30 s overall.
    public init(
        method: String, url: String, headers: [(name: String, value: String)] = [],
        body: HTTPRequestBody = .empty, connectTimeout: Duration = .seconds(3), timeout: Duration = .seconds(30)
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }
}

/// Where a request body comes from.
public enum HTTPRequestBody: Sendable {
    /// No body.
    case empty
    /// Bytes held in memory.
    case bytes([UInt8])
    /// `length` bytes of a file starting at `offset`, read as they are sent so memory stays flat.
    case file(path: String, offset: UInt64, length: UInt64)

    /// The number of bytes the body holds.
    public var length: UInt64 {
        switch self {
        case .empty: 0
        case .bytes(let bytes): UInt64(bytes.count)
        case .file(_, _, let length): length
        }
    }
}

/// Where a response body goes.
public enum HTTPResponseDestination: Sendable {
    /// Kept in memory, in `HTTPResponse.body`.
    case memory
    /// Streamed to a file (created or truncated) when the status is 2xx. Other
    /// statuses keep their (error) body in memory and leave the file untouched.
    case file(path: String)
}
