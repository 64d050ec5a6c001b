import Foundation

/// Whether a reply repeats the instructions it was given: a model talked
/// into reading out its prompt usually quotes it. Any run of
/// `windowWords` consecutive words of the instructions found in the reply
/// counts, case and punctuation aside.
struct PromptLeakGuard: Sendable {
    var windowWords = 8

    func leaks(_ reply: String, instructions: String) -> Bool {
        let replyWords = Self.words(reply)
        guard replyWords.count >= windowWords else { return false }
        let replyText = " " + replyWords.joined(separator: " ") + " "
        let source = Self.words(instructions)
        guard source.count >= windowWords else { return false }
        for start in 0...(source.count - windowWords) {
            let window = " " + source[start..<(start + windowWords)].joined(separator: " ") + " "
            if replyText.contains(window) { return true }
        }
        return false
    }

    private static func words(_ text: String) -> [String] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }
}
