import Common
import Foundation
import Remo

/// Privy authentication for the chat and user-data endpoints.
public struct RemoAuth: Sendable {
    /// Nil until both `PRIVY_APP_ID` and `PRIVY_VERIFICATION_KEY` are set.
    private let verifier: PrivyTokenVerifier?

    /// Whether both Privy settings are present (else every request is 503).
    public var isConfigured: Bool { verifier != nil }

    /// Throws when a key is configured but is not a P-256 public key in PEM: a
    /// mistake the operator must see at start, not as every request's 401.
    public init(config: AppConfig.Remo) throws {
        if let appId = config.privyAppId, let pem = config.privyVerificationKey {
            do {
                verifier = try PrivyTokenVerifier(verificationKeyPEM: pem, appId: appId,
                                                  allowedClockSkew: TimeInterval(config.tokenClockSkewSeconds))
            } catch {
                throw ConfigError.invalid(variable: "PRIVY_VERIFICATION_KEY", value: "",
                                          expected: "Privy's ES256 (P-256) public key in PEM: \(error)")
            }
        } else {
            verifier = nil
        }
    }

    /// The Privy user id of the request's bearer token. Missing, malformed,
    /// forged and expired tokens are 401; an unconfigured stack is 503.
    ///
    /// Expiry is checked against the real clock even when the chat clock is pinned:
    /// tokens are minted now, whatever "now" the assistant pretends it is.
    public func authenticate(_ request: Request) throws -> String {
        guard let verifier else {
            throw HTTPError.serviceUnavailable("the chat assistant is not configured: set PRIVY_APP_ID and PRIVY_VERIFICATION_KEY")
        }
        guard let token = BearerToken.extract(fromAuthorization: request.header("authorization")) else {
            throw HTTPError.unauthorized("missing Authorization: Bearer <Privy access token>")
        }
        do {
            return try verifier.verify(token, now: Date()).userId
        } catch {
            throw HTTPError.unauthorized("invalid access token: \(error)")
        }
    }

    /// Privy ids are `did:privy:` plus letters and digits; anything printable up to
    /// 256 bytes is accepted so other issuers' ids work, but never control characters.
    static func isPlausibleUserId(_ text: String) -> Bool {
        (1...256).contains(text.utf8.count) && text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F }
    }
}

/// The guard of `Access.user` routes: the request's token, and on a path with
/// `{user_id}` that user only (a user reaches only their own data).
extension RemoAuth: RequestGuard {
    public func check(_ request: Request) throws {
        _ = try authenticate(request)
    }

    /// The token's user. A path's `{user_id}` that cannot be a user id is 400,
    /// another user's 403.
    public func admit(_ request: Request, parameters: PathParameters) throws -> String? {
        let userId = try authenticate(request)
        if let claimed = parameters.value("user_id") {
            guard Self.isPlausibleUserId(claimed) else {
                throw HTTPError.badRequest("'\(claimed.prefix(64))' is not a user id")
            }
            guard claimed == userId else {
                throw HTTPError.forbidden("this token belongs to another user; a user can reach only their own data")
            }
        }
        return userId
    }
}
