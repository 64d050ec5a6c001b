import Foundation
import SessionDB
import Testing

/// A value that counts how often it is decoded (only this suite uses it).
private struct CountedValue: Codable, Sendable, Equatable {
    var text: String

    static let decodes = DecodeCounter()

    init(text: String) {
        self.text = text
    }

    init(from decoder: any Decoder) throws {
        text = try decoder.singleValueContainer().decode(String.self)
        Self.decodes.add()
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

private final class DecodeCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

/// Serialized: both tests decode `CountedValue`, whose count is one for the
/// process, so the other test's decode could land inside a counted stretch.
@Suite("Decoded entries", .serialized)
final class DecodedEntriesTests {
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("decoded-\(UUID().uuidString)").path

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func open() throws -> SessionDB {
        try SessionDB(options: SessionDBOptions(directory: directory, mapSizeBytes: 64 << 20), databases: ["cache"])
    }

    @Test("An entry is decoded once per stored change, and another process's write is read at once")
    func decodesOncePerChange() throws {
        let reader = try open()
        let writer = try open()
        let store = try reader.store("cache", of: CountedValue.self)
        let writerStore = try writer.store("cache", of: CountedValue.self)
        let decoded = DecodedEntries<CountedValue>()
        let before = CountedValue.decodes.value

        #expect(try reader.get(store, "a", through: decoded) == nil)
        try writer.put(writerStore, "a", CountedValue(text: "first"))
        for _ in 0..<5 { #expect(try reader.get(store, "a", through: decoded)?.text == "first") }
        #expect(CountedValue.decodes.value - before == 1)

        // Same length, different bytes: still seen.
        try writer.put(writerStore, "a", CountedValue(text: "frist"))
        #expect(try reader.get(store, "a", through: decoded)?.text == "frist")
        try writer.put(writerStore, "a", CountedValue(text: "a longer text"))
        #expect(try reader.get(store, "a", through: decoded)?.text == "a longer text")
        #expect(CountedValue.decodes.value - before == 3)

        _ = try writer.delete(writerStore, "a")
        #expect(try reader.get(store, "a", through: decoded) == nil)
    }

    @Test("Damaged bytes are a decoding error naming the key, and are not remembered")
    func damagedBytes() throws {
        let db = try open()
        let store = try db.store("cache", of: CountedValue.self)
        let raw = try db.rawStore("cache")
        let decoded = DecodedEntries<CountedValue>()
        try db.write { try $0.put(raw, "broken", bytes: Array("{not json".utf8)) }
        #expect { try db.get(store, "broken", through: decoded) } throws: { "\($0)".contains("broken") }
        try db.put(store, "broken", CountedValue(text: "mended"))
        #expect(try db.get(store, "broken", through: decoded)?.text == "mended")
    }
}
