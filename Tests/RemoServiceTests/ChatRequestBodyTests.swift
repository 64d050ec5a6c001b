import Common
import Remo
import XCTest
@testable import RemoService

/// `POST /chat`'s body, checked before anything is understood or stored.
final class ChatRequestBodyTests: XCTestCase {
    private func body(_ message: String, history: JSONValue? = nil) throws -> ChatRequestBody {
        var fields: [String: JSONValue] = ["message": .string(message), "user_id": .string("did:privy:alice")]
        fields["conversation_history"] = history
        return try ChatRequestBody(JSONObject(fields: fields))
    }

    private func status(of work: () throws -> Any) -> Int? {
        do {
            _ = try work()
            return nil
        } catch {
            return (error as? HTTPError)?.status
        }
    }

    func testTheMessageLimitIsEightThousandCharactersExactly() throws {
        XCTAssertEqual(try body(String(repeating: "a", count: 8000)).message.count, 8000)
        XCTAssertEqual(status { try self.body(String(repeating: "a", count: 8001)) }, 422)
        // Characters, not bytes: 8,000 accented letters are 16,000 bytes and still fit.
        XCTAssertEqual(try body(String(repeating: "é", count: 8000)).message.count, 8000)
        XCTAssertEqual(status { try self.body(String(repeating: "é", count: 8001)) }, 422)
    }

    func testMissingOrBlankFieldsAre400() {
        XCTAssertEqual(status { try self.body("   ") }, 400)
        XCTAssertEqual(status { try ChatRequestBody(JSONObject(fields: ["message": .string("hi")])) }, 400)
        XCTAssertEqual(status { try ChatRequestBody(JSONObject(fields: ["message": .number(1), "user_id": .string("u")])) }, 400)
    }

    func testTheClientHistoryIsCheckedEntryByEntry() throws {
        let entry: JSONValue = .object(["role": .string("user"), "content": .string("hello")])
        XCTAssertNoThrow(try body("hi", history: .array([entry, .object(["role": .string("system"), "content": .string("x")])])))
        XCTAssertEqual(status { try self.body("hi", history: .array([.object(["role": .string("tool"), "content": .string("x")])])) }, 422)
        XCTAssertEqual(status { try self.body("hi", history: .array([.string("hello")])) }, 400)
        XCTAssertEqual(status { try self.body("hi", history: .string("hello")) }, 400)
        XCTAssertEqual(status { try self.body("hi", history: .array(Array(repeating: entry, count: 201))) }, 422)
        XCTAssertNoThrow(try body("hi", history: .array(Array(repeating: entry, count: 200))))
    }
}
