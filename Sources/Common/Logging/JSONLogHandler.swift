import Foundation
import Logging

/// A swift-log handler writing one JSON object a line:
/// `{"time", "level", "endpoint", "request_id"?, "message", …metadata}`.
/// Values under secret-looking keys are replaced by "[redacted]".
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let endpoint: String
    private let sink: LogSink

    public init(endpoint: String, level: Logger.Level, sink: LogSink = .standardOutput) {
        self.endpoint = endpoint
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = self.metadata
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        if let error = event.error { fields["error"] = .string("\(error)") }
        let level = event.level
        let message = event.message
        var json = JSONLine()
        json.add("time", LogClock.timestamp())
        json.add("level", level.rawValue)
        json.add("endpoint", endpoint)
        if let requestID = fields.removeValue(forKey: "request_id") {
            json.add("request_id", requestID.description)
        }
        json.add("message", message.description)
        for key in fields.keys.sorted() {
            json.addRaw(key, Secrets.isSecret(key) ? JSONLine.quote("[redacted]") : Self.encode(fields[key]!))
        }
        sink.write(json.finish())
    }

    private static func encode(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): return JSONLine.quote(text)
        case .stringConvertible(let convertible):
            if let number = convertible as? any BinaryInteger { return "\(number)" }
            if let flag = convertible as? Bool { return flag ? "true" : "false" }
            return JSONLine.quote(convertible.description)
        case .array(let items): return "[" + items.map(encode).joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            let members = dictionary.keys.sorted().map { key in
                JSONLine.quote(key) + ":" + (Secrets.isSecret(key) ? JSONLine.quote("[redacted]") : encode(dictionary[key]!))
            }
            return "{" + members.joined(separator: ",") + "}"
        }
    }
}

/// Builds one JSON object as UTF-8, escaping as RFC 8259 requires.
struct JSONLine {
    private var bytes: [UInt8]

    init() {
        bytes = [UInt8(ascii: "{")]
        bytes.reserveCapacity(256)
    }

    mutating func add(_ key: String, _ value: String) {
        beginMember(key)
        Self.appendQuoted(value, to: &bytes)
    }

    mutating func addRaw(_ key: String, _ json: String) {
        beginMember(key)
        bytes += json.utf8
    }

    private mutating func beginMember(_ key: String) {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        Self.appendQuoted(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    func finish() -> String { String(decoding: bytes + "}\n".utf8, as: UTF8.self) }

    static func quote(_ value: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count + 2)
        appendQuoted(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `value` as a JSON string: quotes, backslashes and control characters
    /// escaped, everything else (UTF-8 included) as it is.
    static func appendQuoted(_ value: String, to out: inout [UInt8]) {
        let backslash = UInt8(ascii: "\\")
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), backslash: out += [backslash, byte]
            case UInt8(ascii: "\n"): out += [backslash, UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [backslash, UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): out += [backslash, UInt8(ascii: "t")]
            case 0..<0x20:
                out += [backslash, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                        hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// UTC timestamps with milliseconds, without a shared formatter.
enum LogClock {
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        // 2026-11-29T19:27:12.345Z
        var out: [UInt8] = []
        out.reserveCapacity(24)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4)
        out.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2)
        out.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2)
        out.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2)
        out.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2)
        out.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2)
        out.append(UInt8(ascii: "."))
        digits(Int(now.tv_nsec) / 1_000_000, 3)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }
}
