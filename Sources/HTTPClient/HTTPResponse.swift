/// A complete HTTP response.
public struct HTTPResponse: Sendable {
    /// The status code of the final response (interim 1xx responses are skipped).
    public var status: Int
    /// Header fields as received, in order.
    public var headers: [(name: String, value: String)]
    /// The body, unless it was streamed to a file.
    public var body: [UInt8]
    /// Bytes of body received, wherever they went.
    public var bodyLength: UInt64
    /// Whether the body went to the destination file rather than `body`.
    public var bodyWrittenToFile: Bool

    /// Creates a response value.
    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8],
                bodyLength: UInt64? = nil, bodyWrittenToFile: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyLength = bodyLength ?? UInt64(body.count)
        self.bodyWrittenToFile = bodyWrittenToFile
    }

    /// The first value of a header, matched case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
}
