import Foundation
import LLM

/// What the model answered for one turn, read leniently: a JSON object
/// `{"reply", "collected", "end_call"}` (in a code fence or not), or plain text,
/// which is taken as the reply. Anything else (broken JSON, no reply) is nil,
/// and the turn falls back to the rule engine.
public struct ModelReply: Sendable, Hashable {
    public var reply: String
    public var collected: [String: String]
    public var endCall: Bool
    /// The model asks to put the caller through to a person.
    public var transfer = false

    /// Longest reply spoken, in characters: a phone reply is a few sentences.
    static let maxReplyCharacters = 600

    public init(reply: String, collected: [String: String] = [:], endCall: Bool = false) {
        self.reply = reply
        self.collected = collected
        self.endCall = endCall
    }

    public init?(content: String) {
        let text = ModelOutput.unfenced(content)
        if text.hasPrefix("{") || text.hasPrefix("[") {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
                  let reply = object["reply"] as? String else { return nil }
            var collected: [String: String] = [:]
            for (name, value) in object["collected"] as? [String: Any] ?? [:] {
                switch value {
                case let text as String: collected[name] = text
                case let number as NSNumber: collected[name] = number.stringValue
                default: continue
                }
            }
            self.init(reply: Self.spoken(reply), collected: collected, endCall: object["end_call"] as? Bool ?? false)
            transfer = object["transfer"] as? Bool ?? false
        } else {
            self.init(reply: Self.spoken(text))
        }
        if reply.isEmpty { return nil }
    }

    /// Markdown a model may use anyway (emphasis, headings, bullets) removed,
    /// lines joined, and the length bounded.
    static func spoken(_ text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map { line -> String in
            var line = line.trimmingCharacters(in: .whitespaces)
            while let first = line.first, "-*#>•".contains(first) {
                line = line.dropFirst().trimmingCharacters(in: .whitespaces)
            }
            return line.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "__", with: "")
                .replacingOccurrences(of: "`", with: "")
        }
        let joined = lines.filter { !$0.isEmpty }.joined(separator: " ")
        guard joined.count > maxReplyCharacters else { return joined }
        let cut = joined.prefix(maxReplyCharacters)
        if let end = cut.lastIndex(where: { ".!?।".contains($0) }) { return String(cut[...end]) }
        return String(cut)
    }
}
