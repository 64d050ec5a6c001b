import AWS

/// Why a remo store could not do what was asked.
public enum RemoStoreError: Error, Sendable, CustomStringConvertible {
    /// An item was handed to the store of another user: a programming error that
    /// the store refuses rather than write under the wrong partition key.
    case wrongOwner
    /// DynamoDB failed (unreachable, throttled, table missing…).
    case dynamo(DynamoDBError)

    init(_ error: DynamoDBError) {
        self = .dynamo(error)
    }

    public var description: String {
        switch self {
        case .wrongOwner: "the item belongs to another user than the store's"
        case .dynamo(let error): "\(error)"
        }
    }
}
