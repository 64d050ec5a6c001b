import Foundation

/// Places a `TimeSpec` on the calendar of one time zone, relative to `now`.
///
/// All wall-clock arithmetic goes through `Calendar` in that zone, so DST is the
/// calendar's: "in 3 days" keeps the clock time across a change, "in 2 hours" is
/// elapsed time, a time inside a spring-forward gap moves forward by the gap
/// (02:30 → 03:30), and a time that occurs twice at fall-back is the first one.
struct TimeResolver {
    let now: Date
    let calendar: Calendar

    init(now: Date, timeZone: TimeZone) {
        self.now = now
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    private struct Day: Equatable {
        let year: Int, month: Int, day: Int
    }

    func resolve(_ spec: TimeSpec) -> TimeResolution {
        do {
            return .resolved(try instant(for: spec))
        } catch {
            return error.resolution
        }
    }

    private func instant(for spec: TimeSpec) throws(TimeProblem) -> Date {
        if let offset = spec.offset { return try applying(offset, to: spec) }
        if spec.day == nil, spec.part == .endOfDay { return try explicitDay(.today, spec: spec) }
        if let day = spec.day { return try explicitDay(day, spec: spec) }
        return try nextOccurrence(of: spec)
    }

    // MARK: "in 2 hours", "in 3 days at 5pm"

    private func applying(_ offset: (value: Int, unit: OffsetUnit, extraMinutes: Int), to spec: TimeSpec) throws(TimeProblem) -> Date {
        guard spec.day == nil else {
            throw .unparseable("That gives me both a day and a delay. Which do you mean?")
        }
        if offset.unit.isElapsedTime {
            guard spec.clock == nil, spec.part == nil, !spec.midnight else {
                throw .unparseable("That gives me both a delay and a time of day. Which do you mean?")
            }
            let seconds = Double(offset.value) * (offset.unit == .hour ? 3600 : 60) + Double(offset.extraMinutes * 60)
            return now.addingTimeInterval(seconds)
        }
        let component: Calendar.Component = switch offset.unit {
        case .day: .day
        case .week: .weekOfYear
        case .month: .month
        default: .year
        }
        guard let shifted = calendar.date(byAdding: component, value: offset.value, to: now) else {
            throw .unparseable("I couldn't work out that date. Which day do you mean?")
        }
        guard spec.clock != nil || spec.part != nil || spec.midnight else { return shifted }
        return try compose(day(of: shifted), spec: spec)
    }

    // MARK: A named day: "tomorrow", "on Monday", "3 March", "tonight"

    private func explicitDay(_ reference: DayReference, spec: TimeSpec) throws(TimeProblem) -> Date {
        let today = day(of: now)
        let target: Day
        switch reference {
        case .today:
            target = today
        case .daysAhead(let count):
            target = adding(days: count, to: today)
        case .weekday(let weekday, let qualifier):
            target = try resolveWeekday(weekday, qualifier, spec: spec)
        case .date(let dayOfMonth, let month, let year):
            target = try resolveDate(day: dayOfMonth, month: month, year: year, today: today)
        case .dayOfMonth(let dayOfMonth):
            target = try resolveDayOfMonth(dayOfMonth, today: today)
        }
        return try compose(target, spec: spec)
    }

    private func resolveWeekday(_ weekday: Int, _ qualifier: WeekdayQualifier, spec: TimeSpec) throws(TimeProblem) -> Day {
        let today = day(of: now)
        let todayWeekday = calendar.component(.weekday, from: noon(of: today))
        let ahead = (weekday - todayWeekday + 7) % 7
        switch qualifier {
        case .plain:
            // A bare weekday never means today: said on a Monday, "on Monday" is a week away.
            return adding(days: ahead == 0 ? 7 : ahead, to: today)
        case .this:
            return adding(days: ahead, to: today)
        case .next:
            // "next Friday" is either the first Friday after today or the Friday of
            // next week (weeks starting Monday). For a Monday, and whenever the day
            // is not later in this week, both readings agree; otherwise ask.
            let coming = ahead == 0 ? 7 : ahead
            let mondayIndex = (todayWeekday + 5) % 7
            let targetIndex = (weekday + 5) % 7
            let nextWeek = 7 - mondayIndex + targetIndex
            if coming == nextWeek { return adding(days: coming, to: today) }
            let first = adding(days: coming, to: today)
            let second = adding(days: nextWeek, to: today)
            throw .ambiguous("Do you mean \(SpokenDate.day(noon(of: first), calendar: calendar)) or "
                + "\(SpokenDate.day(noon(of: second), calendar: calendar))?")
        }
    }

    private func resolveDate(day dayOfMonth: Int, month: Int, year: Int?, today: Day) throws(TimeProblem) -> Day {
        let monthName = TimeVocabulary.monthNames[month - 1]
        if let year {
            guard dayOfMonth <= CivilTime.daysIn(month: month, year: year) else {
                throw .unparseable("\(monthName) \(year) doesn't have a \(TimeGrammar.ordinal(dayOfMonth)). Which date do you mean?")
            }
            let target = Day(year: year, month: month, day: dayOfMonth)
            guard (target.year, target.month, target.day) >= (today.year, today.month, today.day) else {
                throw .ambiguous("\(dayOfMonth) \(monthName) \(year) is in the past. Which date do you mean?")
            }
            return target
        }
        // No year: the next time this date comes round, today included.
        let isLater = (month, dayOfMonth) >= (today.month, today.day)
        let targetYear = isLater ? today.year : today.year + 1
        guard dayOfMonth <= CivilTime.daysIn(month: month, year: targetYear) else {
            throw .ambiguous("There's no \(dayOfMonth) \(monthName) in \(targetYear). Which date do you mean?")
        }
        return Day(year: targetYear, month: month, day: dayOfMonth)
    }

    private func resolveDayOfMonth(_ dayOfMonth: Int, today: Day) throws(TimeProblem) -> Day {
        var year = today.year
        var month = today.month
        if dayOfMonth < today.day { (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1) }
        // "the 31st" said in a month without one is the next month that has it.
        for _ in 0..<3 {
            if dayOfMonth <= CivilTime.daysIn(month: month, year: year) {
                return Day(year: year, month: month, day: dayOfMonth)
            }
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        throw .unparseable("No month has a \(TimeGrammar.ordinal(dayOfMonth)). Which date do you mean?")
    }

    // MARK: No day: "at 7:45", "at noon", "in the evening"

    private func nextOccurrence(of spec: TimeSpec) throws(TimeProblem) -> Date {
        let today = day(of: now)
        let tomorrow = adding(days: 1, to: today)
        if spec.midnight { return startOfDay(tomorrow) }
        var candidates: [(hour: Int, minute: Int)] = []
        if let clock = spec.clock {
            if let part = spec.part {
                candidates = [try hour(of: clock, in: part)]
            } else if let hour = clock.exactHour {
                candidates = [(hour, clock.minute)]
            } else {
                // A bare "at 7:45" is the next 7:45 on the clock face, morning or evening.
                candidates = [(clock.hour % 12, clock.minute), (clock.hour % 12 + 12, clock.minute)]
            }
        } else if let part = spec.part {
            candidates = [(part.defaultHour, 0)]
        }
        let times = [today, tomorrow].flatMap { day in candidates.map { at(day, hour: $0.hour, minute: $0.minute) } }
        guard let next = times.filter({ $0 > now }).min() else {
            throw .unparseable("I couldn't work out when that is. What day and time do you mean?")
        }
        return next
    }

    // MARK: Putting a time on a day

    /// The instant on `target` the spec's clock or part of day names (09:00 when
    /// it names neither). With an explicit day a bare hour is read as daytime:
    /// 7–11 morning, 12 noon, 1–6 afternoon or evening ("next Monday at 9" is 09:00).
    private func compose(_ target: Day, spec: TimeSpec) throws(TimeProblem) -> Date {
        let instant: Date
        if spec.midnight {
            guard spec.part == nil || spec.part == .night else {
                throw .unparseable("Midnight and \(spec.part!.spoken) don't go together. What time do you mean?")
            }
            // "tomorrow at midnight" is the midnight that ends tomorrow.
            instant = startOfDay(adding(days: 1, to: target))
        } else if let clock = spec.clock {
            let time: (hour: Int, minute: Int)
            if let part = spec.part {
                time = try hour(of: clock, in: part)
            } else if let exact = clock.exactHour {
                time = (exact, clock.minute)
            } else {
                time = ((1...6).contains(clock.hour) ? clock.hour + 12 : clock.hour, clock.minute)
            }
            instant = at(target, hour: time.hour, minute: time.minute)
        } else if let part = spec.part {
            instant = at(target, hour: part.defaultHour, minute: 0)
        } else {
            if target == day(of: now) {
                throw .ambiguous("What time today?")
            }
            instant = at(target, hour: TimeDefaults.dayOnly, minute: 0)
        }
        guard instant > now else {
            let time = SpokenDate.time(instant, calendar: calendar)
            if target == day(of: now) {
                throw .ambiguous("\(time) today has already passed. Did you mean tomorrow at \(time)?")
            }
            throw .ambiguous("That time has already passed. When do you mean?")
        }
        return instant
    }

    /// A clock time read within a part of the day: "at 7 in the evening" is 19:00.
    private func hour(of clock: ClockTime, in part: PartOfDay) throws(TimeProblem) -> (hour: Int, minute: Int) {
        let mismatch = TimeProblem.unparseable(
            "\(clock.hour):\(String(format: "%02d", clock.minute)) and \(part.spoken) don't go together. What time do you mean?")
        if let exact = clock.exactHour {
            let fits = switch part {
            case .morning: exact < 12
            case .afternoon: (12...18).contains(exact)
            case .evening: (16...23).contains(exact)
            case .night: exact >= 18
            case .endOfDay: false
            }
            guard fits else { throw mismatch }
            return (exact, clock.minute)
        }
        switch part {
        case .morning:
            guard clock.hour != 12 else { throw mismatch }
            return (clock.hour, clock.minute)
        case .afternoon:
            return (clock.hour == 12 ? 12 : clock.hour + 12, clock.minute)
        case .evening:
            guard clock.hour != 12 else { throw mismatch }
            return (clock.hour + 12, clock.minute)
        case .night:
            guard (6...11).contains(clock.hour) else { throw mismatch }
            return (clock.hour + 12, clock.minute)
        case .endOfDay:
            throw mismatch
        }
    }

    // MARK: Calendar helpers

    private func day(of date: Date) -> Day {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return Day(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    /// Noon is never inside a DST transition, so day arithmetic from it is safe.
    private func noon(of day: Day) -> Date { at(day, hour: 12, minute: 0) }

    private func adding(days: Int, to day: Day) -> Day {
        self.day(of: calendar.date(byAdding: .day, value: days, to: noon(of: day))!)
    }

    private func startOfDay(_ day: Day) -> Date { calendar.startOfDay(for: noon(of: day)) }

    private func at(_ day: Day, hour: Int, minute: Int) -> Date {
        calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: hour, minute: minute))!
    }
}
