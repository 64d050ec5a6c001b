/// One piece of information an agent collects during a call: an entry of the
/// agent's `data_to_fill` map, with its name carried alongside.
public struct DataField: Sendable, Hashable {
    /// The key in `data_to_fill` and in the call's `data_collected`, e.g. `email`.
    public var name: String
    /// Whether the call's job is done only once this field is filled.
    public var required: Bool
    /// What the agent says to ask for it.
    public var prompt: String
    /// An example answer, read to the caller when theirs was not understood.
    public var example: String?
    /// A regular expression (ICU syntax, as NSRegularExpression reads it) the
    /// extracted value must match as a whole; nil or empty means any value.
    public var validationPattern: String?
    /// The position in the collection order, as stored (`order`); see `Agent.dataToFill`.
    public var order: Int?

    public init(
        name: String, required: Bool = true, prompt: String, example: String? = nil,
        validationPattern: String? = nil, order: Int? = nil
    ) {
        self.name = name
        self.required = required
        self.prompt = prompt
        self.example = example
        self.validationPattern = validationPattern
        self.order = order
    }

    /// What kind of value the field holds, which decides how the engine listens
    /// for it. Inferred from the name (the seed agents and the original system
    /// name fields `name`, `email`, `phone`, …), then from the example.
    public var kind: FieldKind { FieldKind(fieldName: name, example: example) }
}

/// The attributes of a `data_to_fill` entry, without its name (the map key).
struct DataFieldSpec: Codable {
    var required: Bool?
    var prompt: String
    var example: String?
    var validationPattern: String?
    var order: Int?

    enum CodingKeys: String, CodingKey {
        case required, prompt, example, order
        case validationPattern = "validation_pattern"
    }
}

/// A coding key made at run time, for maps keyed by data (field names).
struct DynamicCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}
