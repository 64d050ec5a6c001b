import Common
import Logging
import Voice

extension VoiceRuntime {
    /// The form of a Twilio webhook after its signature is checked. A form that
    /// cannot be read is answered with a spoken apology (Twilio plays TwiML,
    /// not JSON); a bad signature is a 403 and nothing else happens.
    func webhookForm(_ request: Request, logger: Logger) throws -> FormFields {
        try request.require("POST")
        let form: FormFields
        do {
            form = try request.form()
        } catch let error as HTTPError {
            logger.warning("unreadable webhook", metadata: ["reason": "\(error.detail)"])
            throw WebhookAnswer(response: Self.twiml(.apology(.badRequest), status: error.status))
        }
        try verifier.verify(request, form: form, logger: logger)
        return form
    }

    static func twiml(_ document: TwiML, status: Int = 200) -> Response {
        .xml(bytes: document.xmlBytes, status: status)
    }

    /// Whether `text` can be a call SID at all: 2 to 64 ASCII letters and digits
    /// (Twilio's are `CA` and 32 hex digits). Anything else never reaches a store.
    static func isCallSid(_ text: String) -> Bool {
        (2...64).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "a")...UInt8(ascii: "z"): true
            default: false
            }
        }
    }

    /// The path's `{call_sid}`; one that cannot be a SID is a 400.
    static func pathCallSid(_ call: Router<VoiceRuntime>.Call) throws -> String {
        let sid = call.parameters["call_sid"]
        guard isCallSid(sid) else {
            throw HTTPError.badRequest("call_sid must be 2 to 64 letters or digits, like CA0123…")
        }
        return sid
    }

    /// A webhook's CallSid, or the apology that ends the call when it is unusable.
    static func callSid(_ form: FormFields) throws -> String {
        guard let sid = form["CallSid"], isCallSid(sid) else {
            throw WebhookAnswer(response: twiml(.apology(.badRequest)))
        }
        return sid
    }
}

/// A complete answer decided early in a webhook (an apology, a refusal): thrown
/// to leave the flow, and answered as it is.
struct WebhookAnswer: RenderableError {
    let response: Response
}

extension VoiceRuntime {
    /// Runs a webhook flow, answering any unexpected failure with a spoken
    /// apology rather than a 500 that Twilio would read out as an "application
    /// error". Errors that know their answer go through as they are.
    public func answering(_ logger: Logger, _ flow: () throws -> Response) throws -> Response {
        do {
            return try flow()
        } catch let error as any RenderableError {
            throw error
        } catch {
            logger.error("webhook failed", metadata: ["reason": "\(error)"])
            return Self.twiml(.apology(.unavailable))
        }
    }
}
