import Testing
@testable import Voice

/// Expected signatures were computed outside this code base: the first with
/// Python's `hmac`/`hashlib` (it is also the example of Twilio's security docs),
/// the others with `twilio.request_validator.RequestValidator` (twilio 9.13.0).
@Suite("Twilio webhook signatures")
struct TwilioSignatureTests {
    static let token = "f3c1e2d4a5b6978812345678abcdef01"

    static let turnURL = "https://voice.example.com/voice/process-speech?turn=3"
    static let turnParameters: [(name: String, value: String)] = [
        ("SpeechResult", "my email is john at example dot com & <b>\"quoted\"</b>"),
        ("CallSid", "CA9f8e7d6c5b4a39281706f5e4d3c2b1a0"),
        ("AccountSid", "AC0123456789abcdef0123456789abcdef"),
        ("CallStatus", "in-progress"),
        ("Confidence", "0.91"),
        ("Direction", "outbound-api"),
        ("From", "+15550100199"),
        ("To", "+15550100123"),
        ("ApiVersion", "2010-04-01"),
    ]

    @Test func twiliosDocumentedExample() {
        let parameters: [(name: String, value: String)] = [
            ("To", "+18005551212"), ("Digits", "1234"), ("From", "+14158675309"), ("Caller", "+14158675309"),
            ("CallSid", "CA1234567890ABCDE"),
        ]
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
        #expect(TwilioSignature.compute(authToken: "12345", url: url, parameters: parameters) == "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
        #expect(TwilioSignature.isValid(signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", authToken: "12345", url: url, parameters: parameters))
    }

    @Test func aTurnWebhookWithMetacharacters() {
        #expect(TwilioSignature.compute(authToken: Self.token, url: Self.turnURL, parameters: Self.turnParameters) == "lKZI59sxzMZl0f6BQxtf6speXlQ=")
        #expect(TwilioSignature.isValid(
            signature: "lKZI59sxzMZl0f6BQxtf6speXlQ=", authToken: Self.token, url: Self.turnURL, parameters: Self.turnParameters))
    }

    @Test func aTurnWebhookInHindi() {
        var parameters = Self.turnParameters
        parameters[0].value = "धन्यवाद, बस इतना ही"
        #expect(TwilioSignature.isValid(
            signature: "RDZo2/W80WREj4BGz6wCUHHayNw=", authToken: Self.token, url: Self.turnURL, parameters: parameters))
    }

    @Test func anythingChangedFails() {
        let good = "lKZI59sxzMZl0f6BQxtf6speXlQ="
        var changedValue = Self.turnParameters
        changedValue[4].value = "0.92"
        #expect(!TwilioSignature.isValid(signature: good, authToken: Self.token, url: Self.turnURL, parameters: changedValue))
        let extra = Self.turnParameters + [("Injected", "1")]
        #expect(!TwilioSignature.isValid(signature: good, authToken: Self.token, url: Self.turnURL, parameters: extra))
        #expect(!TwilioSignature.isValid(signature: good, authToken: Self.token, url: Self.turnURL, parameters: Array(Self.turnParameters.dropLast())))
        #expect(!TwilioSignature.isValid(signature: good, authToken: "another-token", url: Self.turnURL, parameters: Self.turnParameters))
        #expect(!TwilioSignature.isValid(signature: good, authToken: Self.token, url: "https://voice.example.com/voice/process-speech?turn=4", parameters: Self.turnParameters))
        #expect(!TwilioSignature.isValid(signature: good, authToken: Self.token, url: "http://voice.example.com/voice/process-speech?turn=3", parameters: Self.turnParameters))
        #expect(!TwilioSignature.isValid(signature: "lKZI59sxzMZl0f6BQxtf6speXlQ", authToken: Self.token, url: Self.turnURL, parameters: Self.turnParameters))
        #expect(!TwilioSignature.isValid(signature: nil, authToken: Self.token, url: Self.turnURL, parameters: Self.turnParameters))
        #expect(!TwilioSignature.isValid(signature: "", authToken: Self.token, url: Self.turnURL, parameters: Self.turnParameters))
        #expect(!TwilioSignature.isValid(signature: good, authToken: "", url: Self.turnURL, parameters: Self.turnParameters))
    }

    @Test func theDefaultPortMayBeAddedOrRemoved() {
        let parameters: [(name: String, value: String)] = [("CallSid", "CA1"), ("From", "+15550100123"), ("To", "+15550100199")]
        let withPort = "https://voice.example.com:443/voice/outbound?agent_id=sales-001"
        let withoutPort = "https://voice.example.com/voice/outbound?agent_id=sales-001"
        // Signed with the port, received without it; and the other way round.
        #expect(TwilioSignature.isValid(signature: "FhH4go+Lk2SAesx+W4F+GsQXOtk=", authToken: Self.token, url: withoutPort, parameters: parameters))
        #expect(TwilioSignature.isValid(signature: "RvvgT+rcH3QjQtRxM8UJ66Ik188=", authToken: Self.token, url: withPort, parameters: parameters))
        #expect(TwilioSignature.isValid(signature: "RvvgT+rcH3QjQtRxM8UJ66Ik188=", authToken: Self.token, url: withoutPort, parameters: parameters))
    }

    @Test func theRawQueryIsSignedAsSent() {
        let url = "https://voice.example.com/voice/outbound?agent_id=customer-support-001&note=a%20b%26c"
        #expect(TwilioSignature.isValid(signature: "BgRb5oZp0i7YTK7fYCVxwmNrcL8=", authToken: Self.token, url: url, parameters: [("CallSid", "CA3")]))
        let decoded = "https://voice.example.com/voice/outbound?agent_id=customer-support-001&note=a b&c"
        #expect(!TwilioSignature.isValid(signature: "BgRb5oZp0i7YTK7fYCVxwmNrcL8=", authToken: Self.token, url: decoded, parameters: [("CallSid", "CA3")]))
    }

    @Test func noParameters() {
        #expect(TwilioSignature.isValid(
            signature: "IsHq9jIgzMXBGWKJ69PXVCLLCkY=", authToken: Self.token, url: "https://voice.example.com/voice/inbound", parameters: []))
    }

    @Test func repeatedNamesAreAcceptedAsTwiliosPythonLibrarySignsThem() {
        let parameters: [(name: String, value: String)] = [("Tag", "b"), ("CallSid", "CA6"), ("Tag", "a"), ("Tag", "b")]
        // twilio-python deduplicates values; every value sorted, as computed with hmac directly, is accepted too.
        #expect(TwilioSignature.isValid(signature: "29OroiEqGmixfysgInUkYWl3I08=", authToken: Self.token, url: "https://voice.example.com/x", parameters: parameters))
        #expect(TwilioSignature.isValid(signature: "hNmmULGtoaCcvXYQFF/UZWI3DQw=", authToken: Self.token, url: "https://voice.example.com/x", parameters: parameters))
    }

    @Test func aJSONBodyIsCheckedThroughBodySHA256() {
        let body = Array(#"{"CallSid":"CA4","CallStatus":"completed"}"#.utf8)
        let url = "https://voice.example.com/call-status?bodySHA256=ac1c3a5b6bb86636afa0319e8aa6c2def4147f3a95495ea29c348dc4fe5029cd"
        #expect(TwilioSignature.isValid(signature: "91vJ1evi70+CPCMq8HxnlvqQt1U=", authToken: Self.token, url: url, jsonBody: body))
        var tampered = body
        tampered[tampered.count - 3] = UInt8(ascii: "x")
        #expect(!TwilioSignature.isValid(signature: "91vJ1evi70+CPCMq8HxnlvqQt1U=", authToken: Self.token, url: url, jsonBody: tampered))
        #expect(!TwilioSignature.isValid(
            signature: "91vJ1evi70+CPCMq8HxnlvqQt1U=", authToken: Self.token, url: "https://voice.example.com/call-status", jsonBody: body))
    }

    @Test func sharedKeyWebhooksMayUseHMACSHA256() {
        #expect(TwilioSignature.Algorithm(settingsHeader: nil) == .hmacSHA1)
        #expect(TwilioSignature.Algorithm(settingsHeader: "key=webhooks_sharedkey_1,algorithm=HMAC_SHA256") == .hmacSHA256)
        #expect(TwilioSignature.Algorithm(settingsHeader: "algorithm=HMAC_MD5") == nil)
        #expect(TwilioSignature.isValid(
            signature: "jWTDqZXtc0BpAiXHMlHN1FDRuz9IGPJwZLfRftmZNyY=", authToken: Self.token, url: Self.turnURL,
            parameters: Self.turnParameters, algorithm: .hmacSHA256))
        #expect(!TwilioSignature.isValid(
            signature: "lKZI59sxzMZl0f6BQxtf6speXlQ=", authToken: Self.token, url: Self.turnURL,
            parameters: Self.turnParameters, algorithm: .hmacSHA256))
    }
}

@Suite("Twilio signature URL forms")
struct TwilioSignatureURLTests {
    @Test func portVariants() {
        #expect(TwilioSignature.urlVariants("https://h.example.com/p?q=1") == ["https://h.example.com/p?q=1", "https://h.example.com:443/p?q=1"])
        #expect(TwilioSignature.urlVariants("http://h.example.com:80/p") == ["http://h.example.com:80/p", "http://h.example.com/p"])
        #expect(TwilioSignature.urlVariants("https://h.example.com:8443/p") == ["https://h.example.com:8443/p", "https://h.example.com/p"])
        #expect(TwilioSignature.urlVariants("https://user:pw@h.example.com/p") == ["https://user:pw@h.example.com/p", "https://user:pw@h.example.com:443/p"])
        #expect(TwilioSignature.urlVariants("https://[::1]:443/p") == ["https://[::1]:443/p", "https://[::1]/p"])
        #expect(TwilioSignature.urlVariants("https://h.example.com") == ["https://h.example.com", "https://h.example.com:443"])
        #expect(TwilioSignature.urlVariants("not a url") == ["not a url"])
    }

    @Test func queryValues() {
        #expect(TwilioSignature.queryValue(named: "bodySHA256", in: "https://h/p?a=1&bodySHA256=abc#frag") == "abc")
        #expect(TwilioSignature.queryValue(named: "bodySHA256", in: "https://h/p?a=1") == nil)
        #expect(TwilioSignature.queryValue(named: "bodySHA256", in: "https://h/p") == nil)
    }
}
