/// The kinds of value the rule engine knows how to hear.
public enum FieldKind: String, Sendable, Hashable {
    /// A person's name: "my name is John Smith", "it's Priya".
    case personName
    /// An email address, typed or spoken ("john at example dot com").
    case email
    /// A phone number, as digits or spoken digits.
    case phone
    /// Either an email address or a phone number ("best way to reach you").
    case contact
    /// Anything the caller says (an issue, a company, a timeline).
    case freeText

    /// Infers the kind from a `data_to_fill` key and its example.
    ///
    /// Names are matched on whole words of the key (split at `_`, `-`, spaces),
    /// so `customer_name` and `email_address` are recognised but `company_name`
    /// is not a person's name.
    public init(fieldName: String, example: String?) {
        // Asked for every field on every turn: the word lists are built once.
        let words = fieldName.lowercased().split(whereSeparator: { "_- .".contains($0) })
        func any(of list: Set<Substring>) -> Bool { words.contains { list.contains($0) } }
        if any(of: Self.emailWords) {
            self = .email
        } else if any(of: Self.phoneWords) {
            self = .phone
        } else if words.contains("contact") {
            self = .contact
        } else if words.contains("name"), !any(of: Self.notAPersonWords) {
            self = .personName
        } else if let example, example.contains("@"), !example.contains(" ") {
            self = .email
        } else if let example, example.hasPrefix("+"), example.dropFirst().allSatisfy({ $0.isNumber || $0 == " " || $0 == "-" }) {
            self = .phone
        } else {
            self = .freeText
        }
    }

    private static let emailWords: Set<Substring> = ["email", "mail"]
    private static let phoneWords: Set<Substring> = ["phone", "mobile", "cell", "telephone", "callback"]
    private static let notAPersonWords: Set<Substring> = [
        "company", "business", "organization", "organisation", "product", "account", "user",
    ]
}
