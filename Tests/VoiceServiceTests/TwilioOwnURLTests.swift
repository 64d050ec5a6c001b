import Testing
import VoiceService

/// Recordings are fetched, with our credentials, only from Twilio's API itself.
@Suite("Which URLs are Twilio's own")
struct TwilioOwnURLTests {
    let twilio = TwilioClient(baseURL: "https://api.twilio.com/2010-04-01", accountSID: "AC1", authToken: "t")

    @Test(arguments: [
        "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
        "https://API.Twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
        "HTTPS://api.twilio.com:443/2010-04-01/Accounts/AC1/Recordings/RE1",
    ])
    func own(_ url: String) {
        #expect(twilio.isOwnURL(url))
    }

    @Test(arguments: [
        "http://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
        "https://api.twilio.com:8443/2010-04-01/Accounts/AC1/Recordings/RE1",
        "https://api.twilio.com.evil.example/2010-04-01/Recordings/RE1",
        "https://api.twilio.com@evil.example/2010-04-01/Recordings/RE1",
        "https://user:pass@api.twilio.com/2010-04-01/Recordings/RE1",
        "https://evil.example/api.twilio.com/Recordings/RE1",
        "/2010-04-01/Accounts/AC1/Recordings/RE1",
        "",
    ])
    func foreign(_ url: String) {
        #expect(!twilio.isOwnURL(url))
    }

    @Test func aLocalAPIOnAnotherPortIsItsOwnOrigin() {
        let simulator = TwilioClient(baseURL: "http://127.0.0.1:18081/2010-04-01", accountSID: "AC1", authToken: "t")
        #expect(simulator.isOwnURL("http://127.0.0.1:18081/2010-04-01/Accounts/AC1/Recordings/RE1"))
        #expect(!simulator.isOwnURL("http://127.0.0.1:18082/2010-04-01/Accounts/AC1/Recordings/RE1"))
        #expect(!simulator.isOwnURL("http://127.0.0.1/2010-04-01/Accounts/AC1/Recordings/RE1"))
    }
}
