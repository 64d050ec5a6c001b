/// Jobs are read and written inside the host's write lock (enqueue with each
/// turn, coalescing, claim, complete), so they are stored compactly.
extension OutboxJob: CompactCodable {
    /// Changes with any change to the fields below.
    private static let compactVersion: UInt8 = 1

    public init(compact input: inout CompactReader) throws {
        guard try input.readByte() == Self.compactVersion else { throw CompactDecodingError.invalid("outbox job version") }
        id = try input.readString()
        kind = try input.readString()
        subject = try input.readString()
        payload = try input.readDictionary()
        attempts = try input.readInt()
        notBefore = try input.readDouble()
        createdAt = try input.readDouble()
        lastError = try input.readOptionalString()
        firstFailureAt = try input.readOptionalDouble()
        claimedBy = try input.readOptionalString()
        lastAlertAt = try input.readOptionalDouble()
        merged = try input.readOptionalInt()
    }

    public func encode(compact out: inout CompactWriter) {
        out.write(Self.compactVersion)
        out.write(id)
        out.write(kind)
        out.write(subject)
        out.write(payload)
        out.write(attempts)
        out.write(notBefore)
        out.write(createdAt)
        out.write(lastError)
        out.write(firstFailureAt)
        out.write(claimedBy)
        out.write(lastAlertAt)
        out.write(merged)
    }
}
