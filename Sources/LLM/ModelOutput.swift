/// Reading what models write.
public enum ModelOutput {
    /// The content without the Markdown code fence models often wrap JSON in
    /// (```` ```json … ``` ````), trimmed.
    public static func unfenced(_ content: String) -> String {
        var text = content.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("```") {
            text = String(text.drop { $0 != "\n" }.dropFirst())
            if let fence = text.range(of: "```", options: .backwards) { text = String(text[..<fence.lowerBound]) }
            text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return text
    }
}
