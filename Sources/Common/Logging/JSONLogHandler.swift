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

/// Builds one JSON object as text, escaping as RFC 8259 requires.
struct JSONLine {
    private var text = "{"

    mutating func add(_ key: String, _ value: String) {
        addRaw(key, Self.quote(value))
    }

    mutating func addRaw(_ key: String, _ json: String) {
        if text.count > 1 { text += "," }
        text += Self.quote(key) + ":" + json
    }

    func finish() -> String { text + "}\n" }

    static func quote(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
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
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                      parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, now.tv_nsec / 1_000_000)
    }
}
