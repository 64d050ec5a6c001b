/// A day a phrase names, before it is placed on the calendar.
enum DayReference: Equatable {
    /// "today", "tonight", "this evening": today, said explicitly.
    case today
    /// "tomorrow" (1), "the day after tomorrow" (2).
    case daysAhead(Int)
    /// A weekday (1 = Sunday … 7 = Saturday) with how it was introduced.
    case weekday(Int, WeekdayQualifier)
    /// A calendar date; the year when given.
    case date(day: Int, month: Int, year: Int?)
    /// "the 15th": a day of the month, no month given.
    case dayOfMonth(Int)
}

enum WeekdayQualifier: Equatable {
    /// "Monday", "on Monday", "this coming Monday": the next one after today.
    case plain
    /// "this Monday": today when today is Monday, else the next one.
    case this
    /// "next Monday": see `TimeResolver` for when this needs a question.
    case next
}

enum PartOfDay: Equatable {
    case morning, afternoon, evening, night, endOfDay

    var defaultHour: Int {
        switch self {
        case .morning: TimeDefaults.morning
        case .afternoon: TimeDefaults.afternoon
        case .evening: TimeDefaults.evening
        case .night: TimeDefaults.night
        case .endOfDay: TimeDefaults.endOfDay
        }
    }

    var spoken: String {
        switch self {
        case .morning: "morning"
        case .afternoon: "afternoon"
        case .evening: "evening"
        case .night: "night"
        case .endOfDay: "end of day"
        }
    }
}

enum Meridiem: Equatable { case am, pm }

/// A clock time as said: "10", "10am", "14:30", "noon".
struct ClockTime: Equatable {
    var hour: Int
    var minute: Int
    var meridiem: Meridiem?
    /// Written so that it cannot be a 12-hour time ("14:30", "09:00", "0:15").
    var isTwentyFourHour: Bool

    /// The hour 0–23 when the phrase alone fixes it, else nil (a bare 1–12).
    var exactHour: Int? {
        switch meridiem {
        case .am: hour % 12
        case .pm: hour % 12 + 12
        case nil: isTwentyFourHour ? hour : nil
        }
    }
}

enum OffsetUnit: Equatable {
    case minute, hour, day, week, month, year

    var isElapsedTime: Bool { self == .minute || self == .hour }
}

/// One thing a matcher recognised.
enum TimePiece: Equatable {
    case day(DayReference)
    case part(PartOfDay)
    case clock(ClockTime)
    case midnight
    case offset(Int, OffsetUnit, extraMinutes: Int)
}

/// A question instead of a time, and whether the phrase was understood (ambiguous)
/// or not (unparseable).
struct TimeProblem: Error, Equatable {
    let isAmbiguous: Bool
    let question: String

    static func ambiguous(_ question: String) -> TimeProblem { TimeProblem(isAmbiguous: true, question: question) }
    static func unparseable(_ question: String) -> TimeProblem { TimeProblem(isAmbiguous: false, question: question) }

    var resolution: TimeResolution {
        isAmbiguous ? .ambiguous(question: question) : .unparseable(question: question)
    }
}

/// Everything a phrase said about a time, slot by slot.
struct TimeSpec: Equatable {
    var day: DayReference?
    var part: PartOfDay?
    var clock: ClockTime?
    var midnight = false
    var offset: (value: Int, unit: OffsetUnit, extraMinutes: Int)?

    var isEmpty: Bool { day == nil && part == nil && clock == nil && !midnight && offset == nil }

    static func == (lhs: TimeSpec, rhs: TimeSpec) -> Bool {
        lhs.day == rhs.day && lhs.part == rhs.part && lhs.clock == rhs.clock && lhs.midnight == rhs.midnight
            && lhs.offset?.value == rhs.offset?.value && lhs.offset?.unit == rhs.offset?.unit
            && lhs.offset?.extraMinutes == rhs.offset?.extraMinutes
    }

    /// Fills the slot `piece` belongs to; saying two different things for one slot
    /// ("tomorrow on Friday", "at 5 at 6") is a question, not a pick.
    mutating func add(_ piece: TimePiece) throws(TimeProblem) {
        let conflict = TimeProblem.unparseable(
            "That gives me two different times. Which one do you mean? Please say one day and one time.")
        switch piece {
        case .day(let day):
            if let existing = self.day, existing != day { throw conflict }
            self.day = day
        case .part(let part):
            if let existing = self.part, existing != part { throw conflict }
            self.part = part
        case .clock(let clock):
            if let existing = self.clock, existing != clock { throw conflict }
            if midnight { throw conflict }
            self.clock = clock
        case .midnight:
            if clock != nil { throw conflict }
            midnight = true
        case .offset(let value, let unit, let extra):
            if offset != nil { throw conflict }
            offset = (value, unit, extra)
        }
    }
}
