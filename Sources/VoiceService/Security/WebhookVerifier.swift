import Common
import Logging
import Voice

/// Checks `X-Twilio-Signature` on every Twilio webhook: a request that is not
/// signed with our auth token over our public URL is refused before it can
/// change anything.
public struct WebhookVerifier: Sendable {
    private let authToken: String?
    private let publicURL: String?
    /// `PUBLIC_URL` with and without its port (see `TwilioSignature.urlVariants`).
    private let publicURLVariants: [String]

    public init(authToken: String?, publicURL: String?) {
        self.authToken = authToken
        self.publicURL = publicURL
        publicURLVariants = publicURL.map(TwilioSignature.urlVariants) ?? []
    }

    /// Throws 403 unless the request is signed; the form is what was posted.
    public func verify(_ request: Request, form: FormFields, logger: Logger) throws {
        guard let authToken, publicURL != nil else {
            logger.error("webhook refused: TWILIO_AUTH_TOKEN or PUBLIC_URL is not configured")
            throw HTTPError.forbidden("webhook signatures cannot be checked: the server is not configured for Twilio")
        }
        let signature = request.header("x-twilio-signature")
        // The URL Twilio requested, rebuilt from `PUBLIC_URL`: nginx sees a
        // loopback address, the signature covers the public one. The raw query
        // is kept as sent, since re-encoding it would change what was signed.
        let suffix = request.rawPath + (request.rawQuery.isEmpty ? "" : "?" + request.rawQuery)
        guard TwilioSignature.isValid(signature: signature, authToken: authToken,
                                      candidateURLs: publicURLVariants.map { $0 + suffix },
                                      parameters: form.pairs.map { ($0.name, $0.value) }) else {
            logger.warning("webhook refused: bad signature", metadata: [
                "path": "\(request.rawPath)", "signed": "\(signature != nil)",
            ])
            throw HTTPError.forbidden(signature == nil ? "missing X-Twilio-Signature" : "invalid X-Twilio-Signature")
        }
    }
}
