import Foundation

/// Resolves "it", "the second one", "number 2" against the last listing.
enum ItemReference {
    enum Outcome {
        case selector(ItemSelector)
        case question(String)
    }

    /// The selector for `query` among items of `kind`: a listed item when the
    /// words point at one, else a title match.
    static func resolve(_ query: String, kind: ItemKind, context: ChatContext) -> Outcome {
        let listed = context.recentItems.filter { $0.kind == kind }
        let plain = TitleMatcher.normalized(query)
        let noun = kind == .todo ? "todo" : "reminder"
        if ["it", "that", "that one", "this", "this one", "the one", ""].contains(plain) {
            if listed.count == 1 { return .selector(.item(id: listed[0].id, title: listed[0].title)) }
            return .question(plain.isEmpty ? "Which \(noun) do you mean?" : "Which \(noun) do you mean? Tell me a few words of its title.")
        }
        if let position = position(in: plain, count: listed.count) {
            guard (1...max(listed.count, 1)).contains(position), !listed.isEmpty else {
                return .question(listed.isEmpty
                    ? "Which \(noun) do you mean? Tell me a few words of its title."
                    : "I only listed \(listed.count) \(noun)\(listed.count == 1 ? "" : "s"). Which one do you mean?")
            }
            let item = listed[position - 1]
            return .selector(.item(id: item.id, title: item.title))
        }
        return .selector(.titleMatching(query))
    }

    /// 1-based position named by "the first one", "number 2", "#3", "2", "the last one".
    private static func position(in plain: String, count: Int) -> Int? {
        let ordinals = ["first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
                        "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8,
                        "ninth": 9, "9th": 9, "tenth": 10, "10th": 10]
        var words = plain.split(separator: " ").map(String.init)
        words.removeAll { ["the", "one", "number", "no", "item", "todo", "reminder", "task"].contains($0) }
        guard words.count == 1 else { return nil }
        if words[0] == "last" { return count }
        if let ordinal = ordinals[words[0]] { return ordinal }
        if let number = Int(words[0]), number > 0, number < 100 { return number }
        return nil
    }
}
