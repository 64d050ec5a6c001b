import Foundation

/// How far AWS's clock is from ours, learnt from the `Date` header of a request
/// refused for its signing time. SigV4 signatures are valid for 5 minutes
/// around the server's clock, so a host whose clock drifted gets every request
/// refused; like the SDKs, we sign with the server's time from then on.
struct ClockSkew {
    /// Error codes AWS uses for a signing time out of range (DynamoDB says
    /// `InvalidSignatureException: Signature expired`, S3 `RequestTimeTooSkewed`).
    static let errorCodes: Set<String> = [
        "RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture",
        "InvalidSignatureException", "SignatureDoesNotMatch", "AuthFailure",
    ]

    /// A difference below this is not skew: the refusal had another cause.
    static let tolerance: TimeInterval = 4 * 60

    /// Seconds to add to the local clock.
    private(set) var offset: TimeInterval = 0

    func correcting(_ date: Date) -> Date { date.addingTimeInterval(offset) }

    /// After a refusal with `code` and the server's `Date` header, adopts the
    /// server's time when the refusal is explained by skew; returns whether it did,
    /// so the request is worth signing again at once.
    mutating func learn(code: String, serverDate header: String?, localNow: Date) -> Bool {
        guard Self.errorCodes.contains(code), let header, let server = AMZDate.parseHTTPDate(header) else { return false }
        let difference = server.timeIntervalSince(correcting(localNow))
        guard abs(difference) > Self.tolerance else { return false }
        offset = server.timeIntervalSince(localNow)
        return true
    }
}
