/// An error that knows its own answer: thrown anywhere in a request, it is
/// answered as it says (an `HTTPError` as `{error, detail}` JSON, a webhook's
/// spoken apology as TwiML) by the one place that renders errors, `Endpoint.respond`.
public protocol RenderableError: Error {
    var response: Response { get }
}

extension HTTPError: RenderableError {
    public var response: Response { .error(self) }
}
