import Common
import CryptoCore

/// `Authorization: Bearer $API_KEY` on operator endpoints.
public struct OperatorAuth: RequestGuard {
    private let apiKey: String?

    public init(apiKey: String?) {
        self.apiKey = apiKey
    }

    public func check(_ request: Request) throws {
        try require(request)
    }

    public func require(_ request: Request) throws {
        guard let apiKey else {
            throw HTTPError.unauthorized("operator endpoints are disabled: API_KEY is not configured")
        }
        guard let token = request.bearerToken else {
            throw HTTPError.unauthorized("missing Authorization: Bearer <API_KEY>")
        }
        guard ConstantTime.equals(Array(token.utf8), Array(apiKey.utf8)) else {
            throw HTTPError.unauthorized("invalid API key")
        }
    }
}
