import Foundation

/// How a title query matched a user's items.
public enum TitleMatch<Item> {
    case none
    case one(Item)
    /// More than one item fits equally well: ask which.
    case several([Item])
}

/// Finds the item a user means by a few words of its title ("milk" for "buy
/// milk"), most specific rule first: the same title (ignoring case and
/// punctuation), then titles containing the query, then titles containing all
/// of its words.
public enum TitleMatcher {
    public static func match<Item>(_ query: String, in items: [Item], title: (Item) -> String) -> TitleMatch<Item> {
        let wanted = normalized(query)
        guard !wanted.isEmpty else { return .none }
        let rules: [(String) -> Bool] = [
            { $0 == wanted },
            { $0.contains(wanted) },
            { candidate in
                let words = Set(candidate.split(separator: " ").map { stem(String($0)) })
                return wanted.split(separator: " ").allSatisfy { words.contains(stem(String($0))) }
            },
        ]
        for rule in rules {
            let found = items.filter { rule(normalized(title($0))) }
            if found.count == 1 { return .one(found[0]) }
            if found.count > 1 { return .several(found) }
        }
        return .none
    }

    static func normalized(_ text: String) -> String {
        let spaced = String(text.lowercased().map { (c: Character) -> Character in c.isLetter || c.isNumber ? c : " " })
        return spaced.split(separator: " ").joined(separator: " ")
    }

    /// Plural and singular match each other: "eggs" finds "egg".
    private static func stem(_ word: String) -> String {
        word.count > 3 && word.hasSuffix("s") ? String(word.dropLast()) : word
    }
}
