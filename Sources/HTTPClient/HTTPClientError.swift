/// Why an HTTP exchange produced no response.
///
/// A response with an error status is not an `HTTPClientError`: it is a response.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// The class of failure, which is what retry logic acts on.
    public enum Kind: Sendable, Equatable {
        /// The connect or overall timeout expired.
        case timeout
        /// The network failed: DNS, refused or reset connection, TLS, broken transfer.
        case transport
        /// A local file (request body source or response destination) could not be used.
        case localFile
        /// The request itself is malformed (bad URL, unsupported option).
        case invalidRequest
    }

    /// The class of failure.
    public let kind: Kind
    /// A human-readable explanation, from libcurl or the file system.
    public let message: String
    /// libcurl's numeric code when libcurl reported the failure.
    public let curlCode: Int?

    /// Creates an error value.
    public init(kind: Kind, message: String, curlCode: Int? = nil) {
        self.kind = kind
        self.message = message
        self.curlCode = curlCode
    }

    /// Whether the failure was a timeout.
    public var isTimeout: Bool { kind == .timeout }

    public var description: String {
        let code = curlCode.map { " (curl \($0))" } ?? ""
        return "HTTP \(kind): \(message)\(code)"
    }
}
