/// Everything the rule engine and the TwiML answers say that is not part of an
/// agent's own configuration, in one language.
///
/// An agent speaks Hindi when its `language` starts with `hi`, English
/// otherwise; further languages are a new conformance and a line in `forLanguage`.
public protocol Phrasebook: Sendable {
    func welcomeBack(name: String?) -> String
    func acknowledge(_ field: DataField, value: String) -> String
    func confirm(_ field: DataField, value: String) -> String
    var confirmEndCall: String { get }
    var continueCall: String { get }
    var confirmationRejected: String { get }
    func notUnderstood(_ field: DataField) -> String
    func invalid(_ field: DataField, value: String) -> String
    func example(_ example: String) -> String
    func allCollected(name: String?) -> String
    var requiredDataComplete: String { get }
    var anythingElse: String { get }
    /// The first question of an agent that collects nothing.
    var openQuestion: String { get }
    var whatElse: String { get }
    var noted: String { get }
    func goodbye(name: String?) -> String
    /// A closing after the agent has already thanked the caller.
    var farewell: String { get }
    func noInput(strike: Int) -> String
    var noInputHangUp: String { get }
    var askToRepeat: String { get }
    /// Before putting the caller through to a person.
    var transferring: String { get }
    /// Nobody took the transferred call: offer to take a message.
    var transferUnanswered: String { get }
    /// After the caller left their message.
    var messageTaken: String { get }
    func turnLimitReached(dataComplete: Bool) -> String
    func help(remaining: [DataField]) -> String
    func time(hour: Int, minute: Int) -> String
    func date(year: Int, month: Int, day: Int, weekday: Int) -> String
    var hello: String { get }
    var skipped: String { get }
    func nameUpdated(_ name: String) -> String
    var alreadyEnded: String { get }
    func apology(_ reason: ApologyReason) -> String
}

/// Why a call is being ended with an apology instead of a conversation.
public enum ApologyReason: Sendable {
    /// The webhook's input could not be used (malformed, or the agent is gone).
    case badRequest
    /// The CallSid belongs to no call this system knows.
    case unknownCall
    /// Something on our side failed.
    case unavailable
}

/// Sentences said in one breath: trimmed, the empty ones left out, one space between.
func spokenLine(_ parts: [String]) -> String {
    parts.map(\.trimmed).filter { !$0.isEmpty }.joined(separator: " ")
}

/// The phrasebook for an agent's language.
public func phrasebook(forLanguage language: String) -> any Phrasebook {
    language.lowercased().hasPrefix("hi") ? HindiPhrasebook() : EnglishPhrasebook()
}

/// Reads a value back the way a caller can check it: phone numbers symbol by
/// symbol ("+ 1 5 5 5 …"), since a voice reads "+15550100199" as one large number.
func speakable(_ value: String, kind: FieldKind) -> String {
    guard kind == .phone || (kind == .contact && !value.contains("@")) else { return value }
    return value.filter { $0 == "+" || $0.isNumber }.map(String.init).joined(separator: " ")
}

/// Whether a rejected value is worth reading back: short structured values
/// (a name, an address, a number) help the caller see the mistake; a long
/// free-text answer read back would only stall the call.
func echoable(_ value: String, kind: FieldKind) -> Bool {
    kind != .freeText && value.count <= 80
}
