/// A value a user sent that cannot be stored: which field, and why in words they can act on.
public struct ValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The attribute name as the API and tables spell it (`priority`, `timezone`…).
    public let field: String
    /// What is wrong, phrased for the user.
    public let reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}
