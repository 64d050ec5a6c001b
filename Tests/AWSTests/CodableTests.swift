import XCTest
@testable import AWS

final class CodableTests: XCTestCase {
    struct FewShot: Codable, Equatable {
        var user: String
        var assistant: String
    }

    struct Everything: Codable, Equatable {
        var id: String
        var count: Int
        var big: UInt64
        var negative: Int64
        var ratio: Double
        var price: Decimal
        var active: Bool
        var note: String?
        var missing: String?
        var blob: Data
        var tags: Set<String>
        var scores: [Int]
        var nested: [String: FewShot]
        var examples: [FewShot]
        var created: Date
        var unicode: String
    }

    func sample() -> Everything {
        Everything(
            id: "agent-1", count: 42, big: UInt64.max, negative: Int64.min, ratio: 0.1,
            price: Decimal(string: "12345678901234567890.123456789")!, active: true, note: "n", missing: nil,
            blob: Data([0, 1, 2, 255]), tags: ["b", "a"], scores: [1, 2, 3],
            nested: ["x": FewShot(user: "hi", assistant: "hello")],
            examples: [FewShot(user: "q", assistant: "a")],
            created: Date(timeIntervalSince1970: 1_700_000_000.25), unicode: "नमस्ते 👋 \"quoted\"\n")
    }

    func testRoundTrip() throws {
        let value = sample()
        let item = try DynamoDBEncoder().encode(value)
        XCTAssertEqual(item["count"], .number("42"))
        XCTAssertEqual(item["big"], .number("18446744073709551615"))
        XCTAssertEqual(item["negative"], .number("-9223372036854775808"))
        XCTAssertEqual(item["ratio"], .number("0.1"))
        XCTAssertEqual(item["price"], .number("12345678901234567890.123456789"))
        XCTAssertEqual(item["blob"], .binary([0, 1, 2, 255]))
        XCTAssertEqual(item["tags"], .stringSet(["a", "b"]))
        XCTAssertEqual(item["scores"], .list([1, 2, 3]))
        XCTAssertEqual(item["nested"], .map(["x": .map(["user": "hi", "assistant": "hello"])]))
        XCTAssertEqual(item["created"], .string("2023-11-14T22:13:20.250Z"))
        XCTAssertNil(item["missing"], "nil optionals are omitted")
        XCTAssertEqual(try DynamoDBDecoder().decode(Everything.self, from: item), value)

        // Through the wire format and back.
        let json = AttributeValue.jsonString(of: item)
        XCTAssertEqual(try AttributeValue.item(fromJSON: json), item)
    }

    func testNullDecodesAsNil() throws {
        struct Optionals: Codable, Equatable { var a: String?; var b: Int? }
        let decoded = try DynamoDBDecoder().decode(Optionals.self, from: ["a": .null])
        XCTAssertEqual(decoded, Optionals(a: nil, b: nil))
    }

    func testInexactNumbersAreRefused() {
        struct Small: Codable { var n: Int8 }
        XCTAssertThrowsError(try DynamoDBDecoder().decode(Small.self, from: ["n": .number("300")]))
        XCTAssertThrowsError(try DynamoDBDecoder().decode(Small.self, from: ["n": .number("1.5")]))
        struct Whole: Codable { var n: Int }
        XCTAssertEqual(try DynamoDBDecoder().decode(Whole.self, from: ["n": .number("1E+3")]).n, 1000)
        XCTAssertThrowsError(try DynamoDBEncoder().encode(["x": Double.nan]))
    }

    func testDateStrategies() throws {
        struct Expiring: Codable { var ttl: Date }
        var encoder = DynamoDBEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        let item = try encoder.encode(Expiring(ttl: Date(timeIntervalSince1970: 1_800_000_000)))
        XCTAssertEqual(item["ttl"], .number("1800000000"))
        XCTAssertEqual(try DynamoDBDecoder().decode(Expiring.self, from: item).ttl.timeIntervalSince1970, 1_800_000_000)
    }

    func testTypeMismatchNamesThePath() {
        struct Outer: Codable { var inner: [String: Int] }
        XCTAssertThrowsError(try DynamoDBDecoder().decode(Outer.self, from: ["inner": .map(["k": .string("x")])])) { error in
            XCTAssertTrue("\(error)".contains("found S"), "\(error)")
        }
    }

    func testAttributeValueJSON() throws {
        let text = #"{"a":{"S":"x"},"b":{"N":"1.50"},"c":{"BOOL":false},"d":{"NULL":true},"e":{"L":[{"N":"1"},{"SS":["p","q"]}]},"f":{"M":{"g":{"B":"AAEC"}}},"h":{"NS":["1","2"]},"i":{"BS":["AA=="]}}"#
        let item = try AttributeValue.item(fromJSON: text)
        XCTAssertEqual(item["b"], .number("1.50"), "number text kept exactly")
        XCTAssertEqual(item["f"], .map(["g": .binary([0, 1, 2])]))
        XCTAssertEqual(try AttributeValue.item(fromJSON: AttributeValue.jsonString(of: item)), item)
        XCTAssertThrowsError(try AttributeValue.item(fromJSON: #"{"a":{"X":"1"}}"#))
        XCTAssertThrowsError(try AttributeValue.item(fromJSON: #"{"a":{"S":"1","N":"2"}}"#))
    }
}

final class ParserTests: XCTestCase {
    func testJSONParsesAndSerializes() throws {
        let json = try JSON.parse(#" {"a": [1, -2.5e3, true, false, null], "b": "x\"y\\z\u00e9\ud83d\ude00\n", "c": {}} "#)
        XCTAssertEqual(json["a"], .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null]))
        XCTAssertEqual(json["b"], .string("x\"y\\zé😀\n"))
        XCTAssertEqual(try JSON.parse(json.text), json)
        XCTAssertThrowsError(try JSON.parse("{\"a\":}"))
        XCTAssertThrowsError(try JSON.parse("[1,]"))
        XCTAssertThrowsError(try JSON.parse("\"\\ud800\""))
        XCTAssertThrowsError(try JSON.parse(String(repeating: "[", count: 1000)))
        XCTAssertEqual(JSON.string("\u{1}").text, "\"\\u0001\"")
    }

    func testXML() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>
          <Contents><Key>a &amp; b &lt;c&gt; &#233;</Key><Size>3</Size></Contents>
          <Contents><Key><![CDATA[x<y]]></Key><Size>4</Size></Contents><Empty/>
        </ListBucketResult>
        """
        let root = try XMLElement.parse(Array(xml.utf8))
        XCTAssertEqual(root.name, "ListBucketResult")
        XCTAssertEqual(root.children("Contents").compactMap { $0.text(of: "Key") }, ["a & b <c> é", "x<y"])
        XCTAssertNotNil(root.child("Empty"))
        XCTAssertThrowsError(try XMLElement.parse(Array("<a><b></a>".utf8)))
        XCTAssertEqual(XMLElement.escape("a<&>\"'"), "a&lt;&amp;&gt;&quot;&apos;")
    }
}
