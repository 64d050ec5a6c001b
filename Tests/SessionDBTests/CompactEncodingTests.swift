import Foundation
import SessionDB
import Testing

@Suite("Compact encoding")
struct CompactEncodingTests {
    private enum Color: String { case red, green }

    @Test("Every kind of value reads back as written, in order")
    func roundTrip() throws {
        var out = CompactWriter()
        let integers: [Int64] = [0, 1, -1, 63, -64, 64, 300, -300, .max, .min]
        for value in integers { out.write(value) }
        out.write(Int.max)
        for value in [0.0, -0.0, 0.92, -1e300, .infinity] { out.write(value) }
        out.write("")
        out.write("नमस्ते, “quoted” \u{0} end")
        out.write(nil as String?)
        out.write("present" as String?)
        out.write(nil as Int?)
        out.write(7 as Int?)
        out.write(0.5 as Double?)
        out.write(["b", "a", ""])
        out.write(["z": "1", "a": "2"])
        out.write(Color.green)
        out.write(nil as Color?)
        out.write(true)

        var input = CompactReader(out.data)
        for value in integers { #expect(try input.readInt64() == value) }
        #expect(try input.readInt() == .max)
        #expect(try input.readDouble() == 0.0)
        #expect(try input.readDouble().sign == .minus)
        #expect(try input.readDouble() == 0.92)
        #expect(try input.readDouble() == -1e300)
        #expect(try input.readDouble() == .infinity)
        #expect(try input.readString() == "")
        #expect(try input.readString() == "नमस्ते, “quoted” \u{0} end")
        #expect(try input.readOptionalString() == nil)
        #expect(try input.readOptionalString() == "present")
        #expect(try input.readOptionalInt() == nil)
        #expect(try input.readOptionalInt() == 7)
        #expect(try input.readOptionalDouble() == 0.5)
        #expect(try input.readStrings() == ["b", "a", ""])
        #expect(try input.readDictionary() == ["z": "1", "a": "2"])
        #expect(try input.readEnum(Color.self) == .green)
        #expect(try input.readOptionalEnum(Color.self) == nil)
        #expect(try input.readBool())
        #expect(input.isAtEnd)
    }

    @Test("Equal dictionaries encode to equal bytes, whatever their insertion order")
    func deterministicDictionaries() {
        var first = CompactWriter()
        var second = CompactWriter()
        var grown: [String: String] = [:]
        for key in (0..<50).map(String.init).reversed() { grown[key] = key }
        first.write(Dictionary(uniqueKeysWithValues: (0..<50).map { (String($0), String($0)) }))
        second.write(grown)
        #expect(first.bytes == second.bytes)
    }

    @Test("Truncated or corrupt input throws instead of crashing or allocating what it claims")
    func corruptInput() throws {
        var out = CompactWriter()
        out.write("a sentence long enough to cut")
        let whole = out.data
        for length in 0..<whole.count {
            var input = CompactReader(whole.prefix(length))
            #expect(throws: CompactDecodingError.self) { _ = try input.readString() }
        }
        // A count of a billion elements in a few bytes.
        var huge = CompactWriter()
        huge.write(1_000_000_000)
        var input = CompactReader(huge.data)
        #expect(throws: CompactDecodingError.truncated) { _ = try input.readStrings() }
        var enumInput = CompactReader({ var w = CompactWriter(); w.write("blue"); return w.data }())
        #expect(throws: CompactDecodingError.self) { _ = try enumInput.readEnum(Color.self) }
        var boolInput = CompactReader(Data([7]))
        #expect(throws: CompactDecodingError.invalid("boolean")) { _ = try boolInput.readBool() }
        var endless = CompactReader(Data(repeating: 0xFF, count: 12))
        #expect(throws: CompactDecodingError.self) { _ = try endless.readInt64() }
    }
}
