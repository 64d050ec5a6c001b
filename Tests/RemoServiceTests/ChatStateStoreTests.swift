import Common
import Foundation
import Remo
import SessionDB
import XCTest
@testable import RemoService

/// What frames a user's next message (the pending question, the last listing),
/// kept in SessionDB so any process may take that message.
final class ChatStateStoreTests: XCTestCase {
    private var directory = ""
    private var database: SessionDB!
    private var store: ChatStateStore!
    private let asked = Date(timeIntervalSince1970: 1_800_000_000)

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("remo-\(UUID().uuidString)").path
        database = try SessionDB(options: SessionDBOptions(directory: directory, mapSizeBytes: 16 << 20),
                                 databases: SessionDBLayout.databases)
        store = try ChatStateStore(database: database, name: SessionDBLayout.remo)
    }

    override func tearDown() {
        store = nil
        database = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func waiting(at time: Date) -> ChatState {
        ChatState(pending: .reminderTime(title: "call Sam"),
                  recentItems: [ListedItem(kind: .todo, id: "t1", title: "finish the report")],
                  updatedAt: time.timeIntervalSince1970)
    }

    func testAPendingQuestionFramesTheNextMessageForThirtyMinutes() throws {
        try store.save(waiting(at: asked), for: "did:privy:alice")
        XCTAssertEqual(try store.state(for: "did:privy:alice", now: asked), waiting(at: asked))
        let almost = asked.addingTimeInterval(30 * 60 - 1)
        XCTAssertEqual(try store.state(for: "did:privy:alice", now: almost).pending, .reminderTime(title: "call Sam"))
        // "tonight" half an hour later is a new request, and "the second one" names nothing.
        let stale = try store.state(for: "did:privy:alice", now: asked.addingTimeInterval(30 * 60))
        XCTAssertEqual(stale, ChatState())
    }

    func testEachUserHasOnlyTheirOwnState() throws {
        try store.save(waiting(at: asked), for: "did:privy:alice")
        XCTAssertEqual(try store.state(for: "did:privy:bob", now: asked), ChatState())
        try store.save(ChatState(updatedAt: asked.timeIntervalSince1970), for: "did:privy:bob")
        XCTAssertEqual(try store.state(for: "did:privy:alice", now: asked), waiting(at: asked), "bob's save left alice's")
    }

    func testDeletingAUsersDataForgetsTheQuestion() throws {
        try store.save(waiting(at: asked), for: "did:privy:alice")
        try store.clear(for: "did:privy:alice")
        XCTAssertEqual(try store.state(for: "did:privy:alice", now: asked), ChatState())
    }
}
