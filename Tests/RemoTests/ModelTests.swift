import Foundation
import Remo
import XCTest

final class ModelTests: XCTestCase {
    private let now = TestClock.wednesdayMorningKolkata

    private func json<T: Encodable>(_ value: T) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as! [String: Any]
    }

    func testReminderAttributesAreTheGuides() throws {
        let reminder = try Reminder.new(userId: "did:privy:a", title: "  call Sam ", description: "",
                                        remindingTime: TestClock.iso("2026-11-19T10:00:00+05:30"),
                                        timeZone: TestClock.kolkata, now: now)
        let item = try json(reminder)
        XCTAssertEqual(Set(item.keys), ["user_id", "reminder_id", "title", "reminding_time", "reminding_time_epoch",
                                        "timezone", "status", "created_at", "updated_at", "ttl"])
        XCTAssertEqual(item["title"] as? String, "call Sam")
        XCTAssertEqual(item["reminding_time"] as? String, "2026-11-19T04:30:00Z")
        XCTAssertEqual(item["reminding_time_epoch"] as? Int, Int(TestClock.iso("2026-11-19T10:00:00+05:30").timeIntervalSince1970))
        XCTAssertEqual(item["status"] as? String, "pending")
        XCTAssertEqual(item["created_at"] as? String, "2026-11-18T05:30:00Z")
        XCTAssertEqual(item["ttl"] as? Int, Int(now.timeIntervalSince1970) + 365 * 86_400)
        let decoded = try JSONDecoder().decode(Reminder.self, from: JSONEncoder().encode(reminder))
        XCTAssertEqual(decoded, reminder)
        XCTAssertTrue(reminder.reminderId.hasPrefix("rem_20261118_053000_"))
    }

    /// An item the original Python system wrote: naive ISO times, no zone, no epoch.
    func testReadsTheOriginalSystemsReminders() throws {
        let original = """
            {"user_id": "did:privy:abc123", "reminder_id": "rem_20241201_143022_abc123", "title": "Team Meeting",
             "description": "Weekly team sync", "reminding_time": "2024-12-02T10:00:00", "status": "done",
             "created_at": "2024-12-01T14:30:22.123456", "updated_at": "2024-12-01T14:30:22", "ttl": 1735689600}
            """
        let reminder = try JSONDecoder().decode(Reminder.self, from: Data(original.utf8))
        XCTAssertEqual(reminder.remindingTime, TestClock.iso("2024-12-02T10:00:00Z"))
        XCTAssertEqual(reminder.status, .done)
        XCTAssertEqual(reminder.timezone, "UTC")
    }

    func testTodoAndValidation() throws {
        let todo = try Todo.new(userId: "u", title: "buy milk", priority: .urgent, now: now)
        let item = try json(todo)
        XCTAssertEqual(Set(item.keys), ["user_id", "todo_id", "title", "priority", "status", "created_at", "updated_at", "ttl"])
        XCTAssertTrue(todo.todoId.hasPrefix("todo_20261118_053000_"))
        XCTAssertEqual(try TodoPriority(validating: " HIGH "), .high)
        XCTAssertThrowsError(try TodoPriority(validating: "critical"))
        XCTAssertEqual(try TodoStatus(validating: "Completed"), .done)
        XCTAssertEqual(try ReminderStatus(validating: "canceled"), .cancelled)
        XCTAssertThrowsError(try TodoStatus(validating: "in_progress"))
        XCTAssertThrowsError(try Todo.new(userId: "u", title: "   ", now: now))
        XCTAssertThrowsError(try Todo.new(userId: "u", title: String(repeating: "x", count: 201), now: now))
        XCTAssertEqual(todo.with(status: .done, now: now.addingTimeInterval(5)).updatedAt, now.addingTimeInterval(5))
    }

    func testIdsDoNotCollide() {
        let ids = (0..<10_000).map { _ in ItemID.todo(createdAt: now) }
        XCTAssertEqual(Set(ids).count, ids.count)
        XCTAssertTrue(ids.allSatisfy(ItemID.isWellFormed))
        XCTAssertFalse(ItemID.isWellFormed("rem_1/../x"))
        XCTAssertFalse(ItemID.isWellFormed(""))
    }

    func testConversationTimestampsSortAndStayUnique() throws {
        let messages = ChatMessage.exchange(userId: "u", message: "hi", reply: "Hello!", at: now)
        XCTAssertEqual(messages.map(\.role), [.user, .assistant])
        XCTAssertEqual(messages[0].timestamp, "2026-11-18T05:30:00.000000Z")
        XCTAssertEqual(messages[1].timestamp, "2026-11-18T05:30:00.000001Z")
        XCTAssertEqual(messages[0].ttl, Int64(now.timeIntervalSince1970) + 30 * 86_400)
        XCTAssertEqual(ChatMessage.timestamp(after: "2026-11-18T05:30:00.999999Z"), "2026-11-18T05:30:01.000000Z")
        let item = try json(messages[0])
        XCTAssertEqual(Set(item.keys), ["user_id", "timestamp", "role", "content", "ttl"])
        // Fixed width: string order is time order.
        let stamps = (0..<50).map { ChatMessage.timestamp(for: now.addingTimeInterval(Double($0) * 0.000_37)) }
        XCTAssertEqual(stamps, stamps.sorted())
    }

    func testRetention() {
        XCTAssertTrue(Retention.isExpired(ttl: Int64(now.timeIntervalSince1970), now: now))
        XCTAssertFalse(Retention.isExpired(ttl: Int64(now.timeIntervalSince1970) + 1, now: now))
        XCTAssertFalse(Retention.isExpired(ttl: nil, now: now))
    }

    func testUTCTimestampParsing() {
        XCTAssertEqual(UTCTimestamp.date(from: "2026-11-18T11:00:00+05:30"), now)
        XCTAssertEqual(UTCTimestamp.date(from: "2026-11-18T05:30:00Z"), now)
        XCTAssertEqual(UTCTimestamp.date(from: "2026-11-18 05:30:00"), now)
        XCTAssertNil(UTCTimestamp.date(from: "2026-02-30T00:00:00Z"))
        XCTAssertNil(UTCTimestamp.date(from: "yesterday"))
        XCTAssertEqual(UTCTimestamp.string(from: Date(timeIntervalSince1970: -1.5), fractionDigits: 3), "1969-12-31T23:59:58.500Z")
    }

    func testProfileValidationAndPreferences() throws {
        XCTAssertEqual(try TimeZoneName.validate("america/new_york"), "America/New_York")
        XCTAssertEqual(try TimeZoneName.validate("Asia/Kolkata"), "Asia/Kolkata")
        XCTAssertEqual(try TimeZoneName.validate("utc"), "UTC")
        for bad in ["IST", "EST", "GMT+5", "Mars/Olympus", ""] {
            XCTAssertThrowsError(try TimeZoneName.validate(bad), bad)
        }
        XCTAssertEqual(try ProfileValidation.language("en-us"), "en-US")
        XCTAssertEqual(try ProfileValidation.language("Hindi"), "hi")
        XCTAssertThrowsError(try ProfileValidation.language("klingon!"))
        XCTAssertThrowsError(try ProfileValidation.phoneNumber("555-0123"))
        XCTAssertThrowsError(try ProfileValidation.email("a@b"))

        let sent: [String: JSONValue] = ["timezone": .string("asia/kolkata"), "language": .string("hi-in"),
                                         "theme": .string("dark"), "digest": .object(["hour": .number(8)])]
        let preferences = try UserPreferences.validated(from: sent)
        XCTAssertEqual(preferences.timezone, "Asia/Kolkata")
        XCTAssertEqual(preferences.language, "hi-IN")
        XCTAssertEqual(preferences.other["digest"], .object(["hour": .number(8)]))
        let roundTrip = try JSONDecoder().decode(UserPreferences.self, from: JSONEncoder().encode(preferences))
        XCTAssertEqual(roundTrip, preferences)
        XCTAssertThrowsError(try UserPreferences.validated(from: ["timezone": .string("Nowhere/Land")]))

        let profile = UserProfile(privyId: "did:privy:a", email: "a@b.co", preferences: preferences, createdAt: now, updatedAt: now)
        let item = try json(profile)
        XCTAssertEqual(Set(item.keys), ["privy_id", "email", "preferences", "created_at", "updated_at"])
        XCTAssertEqual(profile.timeZone.identifier, "Asia/Kolkata")
    }

    /// Preferences DynamoDB would refuse, or store and give back in a form no
    /// reader takes (an empty member name), are refused naming the field.
    func testPreferencesDynamoDBCannotKeepAreRefused() throws {
        func field(_ sent: [String: JSONValue]) -> String? {
            do {
                _ = try UserPreferences.validated(from: sent)
                return nil
            } catch {
                return error.field
            }
        }
        var deep = JSONValue.number(1)
        for _ in 0..<16 { deep = .object(["a": deep]) }
        XCTAssertEqual(field(["": .number(1)]), "preferences")
        XCTAssertEqual(field(["digest": .object(["": .number(1)])]), "digest")
        XCTAssertEqual(field(["big": .number(1.37e291)]), "big")
        XCTAssertEqual(field(["tiny": .array([.number(1e-200)])]), "tiny[]")
        XCTAssertEqual(field(["deep": deep]), "deep" + String(repeating: ".a", count: 16))
        XCTAssertEqual(field(["long": .string(String(repeating: "x", count: 70_000))]), "preferences")
        XCTAssertEqual(field([String(repeating: "k", count: 257): .bool(true)]), "preferences")
        XCTAssertNil(field(["zero": .number(0), "small": .number(-1e-100), "nested": .object(["ok": .array([.null])])]))
    }
}
