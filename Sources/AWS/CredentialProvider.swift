import Foundation

/// A source of AWS credentials.
public protocol CredentialProvider: Sendable {
    /// Current credentials; throws `AWSCredentialsError` when this source has none.
    func credentials() throws -> AWSCredentials
}

/// Why no credentials could be obtained.
public struct AWSCredentialsError: Error, Sendable, CustomStringConvertible {
    /// Which provider failed.
    public let provider: String
    /// What went wrong, without secrets.
    public let reason: String

    /// Creates an error value.
    public init(provider: String, reason: String) {
        self.provider = provider
        self.reason = reason
    }

    public var description: String { "\(provider): \(reason)" }
}

/// Fixed credentials (tests, tools, or keys obtained elsewhere).
public struct StaticCredentialProvider: CredentialProvider {
    let value: AWSCredentials

    /// A provider that always returns `credentials`.
    public init(_ credentials: AWSCredentials) { value = credentials }

    public func credentials() throws -> AWSCredentials { value }
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optional `AWS_SESSION_TOKEN`.
public struct EnvironmentCredentialProvider: CredentialProvider {
    let environment: [String: String]

    /// Reads from `environment` (usually the merged `.env` and process environment).
    public init(environment: [String: String]) { self.environment = environment }

    public func credentials() throws -> AWSCredentials {
        guard let id = environment["AWS_ACCESS_KEY_ID"].nonEmpty,
              let secret = environment["AWS_SECRET_ACCESS_KEY"].nonEmpty else {
            throw AWSCredentialsError(provider: "environment", reason: "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY not set")
        }
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: environment["AWS_SESSION_TOKEN"].nonEmpty)
    }
}

/// Tries providers in order and uses the first that has credentials, remembering
/// it so later calls do not probe the ones that failed (the SDKs do the same).
public final class CredentialChain: CredentialProvider {
    private let providers: [any CredentialProvider]
    private let chosen = Locked<Int?>(nil)

    /// A chain over `providers`, first to last.
    public init(_ providers: [any CredentialProvider]) { self.providers = providers }

    public func credentials() throws -> AWSCredentials {
        if let index = chosen.withLock({ $0 }) {
            return try providers[index].credentials()
        }
        var reasons: [String] = []
        for (index, provider) in providers.enumerated() {
            do {
                let found = try provider.credentials()
                chosen.withLock { $0 = index }
                return found
            } catch let error as AWSCredentialsError {
                reasons.append(error.description)
            } catch {
                reasons.append("\(error)")
            }
        }
        throw AWSCredentialsError(provider: "chain", reason: "no credentials found (" + reasons.joined(separator: "; ") + ")")
    }
}

/// Caches another provider's credentials, refreshing temporary ones a few minutes
/// before they expire. One thread refreshes while the others keep using the
/// still-valid cached value.
public final class CachedCredentialProvider: CredentialProvider {
    private struct State {
        var current: AWSCredentials?
        var refreshing = false
    }

    private let base: any CredentialProvider
    private let refreshMargin: TimeInterval
    private let now: @Sendable () -> Date
    private let state = Locked(State())

    /// Wraps `base`; credentials expiring within `refreshMargin` seconds are renewed.
    public init(_ base: any CredentialProvider, refreshMargin: TimeInterval = 300,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.base = base
        self.refreshMargin = refreshMargin
        self.now = now
    }

    public func credentials() throws -> AWSCredentials {
        let time = now()
        enum Step { case use(AWSCredentials), refresh }
        let step: Step = state.withLock { state in
            if let current = state.current {
                guard let expiration = current.expiration else { return .use(current) }
                if expiration.timeIntervalSince(time) > refreshMargin { return .use(current) }
                // Another thread is already refreshing: keep using what still works.
                if state.refreshing, expiration > time { return .use(current) }
            }
            state.refreshing = true
            return .refresh
        }
        switch step {
        case .use(let credentials):
            return credentials
        case .refresh:
            do {
                let fresh = try base.credentials()
                state.withLock { $0.current = fresh; $0.refreshing = false }
                return fresh
            } catch {
                let fallback: AWSCredentials? = state.withLock { state in
                    state.refreshing = false
                    // A failed refresh must not break requests while the old keys still work.
                    if let current = state.current, let expiration = current.expiration, expiration > time {
                        return current
                    }
                    return nil
                }
                if let fallback { return fallback }
                throw error
            }
        }
    }

    /// Forgets the cached credentials (after the service rejected them as expired).
    public func invalidate() {
        state.withLock { $0.current = nil }
    }
}

extension Optional where Wrapped == String {
    /// The value when present and not blank.
    var nonEmpty: String? {
        guard let value = self?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}
