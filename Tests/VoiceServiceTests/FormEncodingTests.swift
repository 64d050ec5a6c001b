import Testing
@testable import VoiceService

@Suite struct FormEncodingTests {
    @Test func everythingButTheUnreservedIsEscapedInUpperCaseHex() {
        #expect(FormEncoding.query([("To", "+1 555"), ("Url", "https://x.io/a?b=c&d=e"), ("Twiml", "<Say>é~_.-</Say>")])
            == "To=%2B1%20555&Url=https%3A%2F%2Fx.io%2Fa%3Fb%3Dc%26d%3De&Twiml=%3CSay%3E%C3%A9~_.-%3C%2FSay%3E")
        #expect(FormEncoding.escape("CAabc123") == "CAabc123")
    }
}
