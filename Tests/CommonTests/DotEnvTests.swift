import Common
import XCTest

final class DotEnvTests: XCTestCase {
    func testParsesTheFormsTheOriginalGuidesUse() throws {
        let text = """
        # comment
        AWS_REGION=us-east-1
        export PUBLIC_URL=https://example.ngrok.io
        EMPTY=
        SPACED = value with spaces   # trailing comment
        SINGLE='literal $HOME \\n # not a comment'
        DOUBLE="line\\nbreak \\"quoted\\""
        HASH=abc#def
        WINDOWS=crlf\r
        """
        let values = try DotEnv.parse(text)
        XCTAssertEqual(values["AWS_REGION"], "us-east-1")
        XCTAssertEqual(values["PUBLIC_URL"], "https://example.ngrok.io")
        XCTAssertEqual(values["EMPTY"], "")
        XCTAssertEqual(values["SPACED"], "value with spaces")
        XCTAssertEqual(values["SINGLE"], "literal $HOME \\n # not a comment")
        XCTAssertEqual(values["DOUBLE"], "line\nbreak \"quoted\"")
        XCTAssertEqual(values["HASH"], "abc#def")
        XCTAssertEqual(values["WINDOWS"], "crlf")
    }

    func testReportsTheLineOfABrokenEntry() {
        XCTAssertThrowsError(try DotEnv.parse("A=1\nNOT A PAIR\n")) { error in
            XCTAssertEqual("\(error)", ".env line 2: expected KEY=value")
        }
        XCTAssertThrowsError(try DotEnv.parse("A=\"open")) { error in
            XCTAssertEqual((error as? DotEnv.ParseError)?.line, 1)
        }
        XCTAssertThrowsError(try DotEnv.parse("1A=x"))
    }
}

final class AppConfigTests: XCTestCase {
    func testDefaultsFollowTheOriginalGuides() throws {
        let config = try AppConfig(environment: Environment([:]))
        XCTAssertEqual(config.tables.agents, "VoiceAssistant_Agents")
        XCTAssertEqual(config.tables.calls, "VoiceAssistant_Calls")
        XCTAssertEqual(config.tables.phoneNumbers, "VoiceAssistant_PhoneNumbers")
        XCTAssertEqual(config.tables.conversations, "remo-conversations")
        XCTAssertEqual(config.recordings.bucket, "voice-assistant-recordings")
        XCTAssertEqual(config.recordings.prefix, "recordings/")
        XCTAssertEqual(config.voice.sessionSyncFrequency, 5)
        XCTAssertEqual(config.voice.agentCacheTTLSeconds, 300)
        XCTAssertTrue(config.voice.enableDynamoDB)
        XCTAssertEqual(config.server.httpPort, 8080)
        XCTAssertEqual(config.sessionDB.directory, "./var/sessiondb")
        XCTAssertTrue(config.sessionDB.writeMap)
        XCTAssertFalse(try AppConfig(environment: Environment(["SESSIONDB_WRITEMAP": "false"])).sessionDB.writeMap)
    }

    func testMalformedValuesNameTheVariable() {
        XCTAssertThrowsError(try AppConfig(environment: Environment(["SESSION_SYNC_FREQUENCY": "abc"]))) { error in
            XCTAssertEqual("\(error)", "SESSION_SYNC_FREQUENCY='abc' is not valid: expected a whole number from 1 to 1000")
        }
        XCTAssertThrowsError(try AppConfig(environment: Environment(["ENABLE_DYNAMODB": "maybe"]))) { error in
            XCTAssertEqual("\(error)", "ENABLE_DYNAMODB='maybe' is not valid: expected true or false")
        }
        XCTAssertThrowsError(try AppConfig(environment: Environment(["SESSIONDB_DURABILITY": "sometimes"]))) { error in
            XCTAssertTrue("\(error)".contains("one of full, meta, none"))
        }
        XCTAssertThrowsError(try AppConfig(environment: Environment(["PUBLIC_URL": "ftp://x", "LOCAL_TWILIO": "false"])))
    }

    func testLocalModeUsesTheEmulatorAndTheSimulator() throws {
        let local = try AppConfig(environment: Environment(["HTTP_PORT": "9000", "LOCAL_AWS_PORT": "4999"]))
        XCTAssertEqual(local.awsEnvironment["AWS_ENDPOINT_URL"], "http://127.0.0.1:4999")
        XCTAssertEqual(local.voice.publicURL, "http://127.0.0.1:9000")
        XCTAssertEqual(local.twilio.apiBaseURL, "http://127.0.0.1:4567")
        let real = try AppConfig(environment: Environment([
            "LOCAL_AWS": "false", "LOCAL_TWILIO": "false", "PUBLIC_URL": "https://voice.example.com/",
            "TWILIO_AUTH_TOKEN": "t",
        ]))
        XCTAssertNil(real.awsEnvironment["AWS_ENDPOINT_URL"])
        XCTAssertEqual(real.voice.publicURL, "https://voice.example.com")
        XCTAssertEqual(real.twilio.apiBaseURL, "https://api.twilio.com")
        XCTAssertEqual(real.twilio.authToken, "t")
    }

    func testSecretValuesAreNeverShownInErrors() {
        let error = ConfigError.invalid(variable: "TWILIO_AUTH_TOKEN", value: "s3cr3t", expected: "x")
        XCTAssertFalse(error.description.contains("s3cr3t"))
    }

    func testEnvironmentOverridesTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "HTTP_PORT=9000\nLOG_LEVEL=debug\n".write(toFile: directory + "/.env", atomically: true, encoding: .utf8)
        let env = try Environment.load(directory: directory, processEnvironment: ["HTTP_PORT": "9100"])
        XCTAssertEqual(env["HTTP_PORT"], "9100")
        XCTAssertEqual(env["LOG_LEVEL"], "debug")
    }
}
