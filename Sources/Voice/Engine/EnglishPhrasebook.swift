import Foundation

/// What agents say in English.
public struct EnglishPhrasebook: Phrasebook {
    public init() {}

    func label(_ field: DataField) -> String {
        switch field.kind {
        case .personName: "name"
        case .email: "email address"
        case .phone: "phone number"
        case .contact: "email address or phone number"
        case .freeText: field.name.replacingOccurrences(of: "_", with: " ")
        }
    }

    public func welcomeBack(name: String?) -> String {
        name.map { "Welcome back, \($0)." } ?? "Welcome back, it's good to hear from you again."
    }

    public func acknowledge(_ field: DataField, value: String) -> String {
        switch field.kind {
        case .personName: "Thank you, \(value)."
        case .email: "Thanks. I have your email as \(value)."
        case .phone: "Thanks. I have your number as \(speakable(value, kind: .phone))."
        case .contact: "Thanks. I have \(speakable(value, kind: .contact)) as the best way to reach you."
        case .freeText: "Got it."
        }
    }

    public func confirm(_ field: DataField, value: String) -> String {
        "I think I heard \(speakable(value, kind: field.kind)) for your \(label(field)). Is that right?"
    }

    public var confirmEndCall: String { "Did you want to end the call?" }
    public var continueCall: String { "All right, let's continue." }
    public var confirmationRejected: String { "Sorry about that, let's try again." }

    public func notUnderstood(_ field: DataField) -> String {
        "Sorry, I didn't catch your \(label(field))."
    }

    public func invalid(_ field: DataField, value: String) -> String {
        guard echoable(value, kind: field.kind) else { return "Sorry, I couldn't use that as your \(label(field))." }
        return "Sorry, \(speakable(value, kind: field.kind)) doesn't look like a valid \(label(field))."
    }

    public func example(_ example: String) -> String { "For example: \(example)." }

    public func allCollected(name: String?) -> String {
        let thanks = name.map { "Thank you, \($0)." } ?? "Thank you."
        return thanks + " I have everything I need, and our team will follow up with you shortly."
    }

    public var requiredDataComplete: String { "That covers all the required details." }
    public var anythingElse: String { "Is there anything else I can help you with?" }
    public var openQuestion: String { "How can I help you today?" }
    public var whatElse: String { "Of course. What else can I help you with?" }
    public var noted: String { "I've noted that for our team." }

    public var farewell: String { "Have a great day. Goodbye!" }

    public func goodbye(name: String?) -> String {
        (name.map { "Thank you for calling, \($0)." } ?? "Thank you for calling.") + " Have a great day. Goodbye!"
    }

    public func noInput(strike: Int) -> String {
        strike <= 1 ? "Sorry, I didn't hear anything." : "Are you still there?"
    }

    public var noInputHangUp: String {
        "I haven't been able to hear you, so I'll end the call now. Please call us back any time. Goodbye."
    }

    public var transferring: String { "Of course. Let me put you through to a member of our team. Please hold." }
    public var transferUnanswered: String {
        "I'm sorry, nobody could take your call right now. Tell me a short message after this and I'll pass it on."
    }
    public var messageTaken: String { "Thank you, I'll pass your message on. Goodbye!" }
    public var askToRepeat: String { "Sorry, I didn't quite catch that. Could you say it again?" }

    public func turnLimitReached(dataComplete: Bool) -> String {
        dataComplete
            ? "We've reached the end of our time on this call, so I'll end it here. Thank you, goodbye!"
            : "I'm sorry, we've run out of time on this call. A member of our team will follow up with you. Goodbye!"
    }

    public func help(remaining: [DataField]) -> String {
        var text = "I'm an automated assistant."
        if !remaining.isEmpty {
            text += " I'm collecting a few details so our team can help you: "
                + listed(remaining.map(label)) + "."
        }
        return text + " You can also ask me the time or the date, or say goodbye to end the call."
    }

    private func listed(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
    }

    public func time(hour: Int, minute: Int) -> String {
        let hour12 = hour % 12 == 0 ? 12 : hour % 12
        let minutes = minute < 10 ? "0\(minute)" : "\(minute)"
        return "It's \(hour12):\(minutes) \(hour < 12 ? "AM" : "PM")."
    }

    public func date(year: Int, month: Int, day: Int, weekday: Int) -> String {
        "Today is \(Self.weekdays[(weekday - 1) % 7]), \(Self.months[month - 1]) \(day), \(year)."
    }

    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    public var hello: String { "Hello!" }
    public var skipped: String { "No problem, we'll skip that." }
    public func nameUpdated(_ name: String) -> String { "Thanks, I've updated your name to \(name)." }
    public var alreadyEnded: String { "Thank you for calling. Goodbye!" }

    public func apology(_ reason: ApologyReason) -> String {
        switch reason {
        case .badRequest: "We're sorry, we couldn't process this call. Please try again later. Goodbye."
        case .unknownCall: "We're sorry, we couldn't continue this call. Please call us again. Goodbye."
        case .unavailable: "We're sorry, something went wrong on our end. Please try again later. Goodbye."
        }
    }
}
