/// Why a model gave no usable answer. Every case means the same to a caller
/// with a fallback: answer without the model this time.
public struct LLMError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The deadline came first (or too little time was left to ask).
        case timeout
        /// 429: the provider asks us to slow down.
        case rateLimited = "rate_limited"
        /// 401 or 403: the key is missing or wrong.
        case unauthorized
        /// Any other non-2xx status.
        case server
        /// No connection, reset, DNS.
        case transport
        /// A 2xx whose body is not a completion, or a completion with no content.
        case malformed
    }

    public var kind: Kind
    public var status: Int?
    public var detail: String

    public init(_ kind: Kind, status: Int? = nil, detail: String) {
        self.kind = kind
        self.status = status
        self.detail = detail
    }

    public var description: String {
        status.map { "\(kind.rawValue) (HTTP \($0)): \(detail)" } ?? "\(kind.rawValue): \(detail)"
    }
}
