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

    /// The authenticated user, who must be `claimed` (a path or body `user_id`): 403 otherwise.
    public func authorize(_ request: Request, as claimed: String) throws -> String {
        let userId = try authenticate(request)
        guard claimed == userId else {
            throw HTTPError.forbidden("this token belongs to another user; a user can reach only their own data")
        }
        return userId
    }
}
