/// What a run of tokens says about time.
enum TimeParse: Equatable {
    /// Every token was part of a time phrase (or a filler), and at least one said something.
    case spec(TimeSpec)
    /// The tokens are a time phrase that needs a question back.
    case problem(TimeProblem)
    /// Some token is not part of any time phrase.
    case notATime
}

/// The grammar of time phrases: at each position a set of matchers, tried in
/// order, each recognising a few tokens; fillers ("at", "on", "the"…) may sit
/// between them in any order ("tomorrow at 10am", "10am tomorrow", "at 9 on Monday").
struct TimeGrammar {
    private enum Match {
        case pieces([TimePiece], consumed: Int)
        case problem(TimeProblem)
        case none
    }

    private let tokens: [TimeToken]

    private init(_ tokens: [TimeToken]) { self.tokens = tokens }

    /// Parses all of `tokens` as one time phrase.
    static func parse(_ tokens: [TimeToken]) -> TimeParse {
        let grammar = TimeGrammar(tokens)
        var spec = TimeSpec()
        var index = 0
        while index < tokens.count {
            switch grammar.match(at: index) {
            case .pieces(let pieces, let consumed):
                do {
                    for piece in pieces { try spec.add(piece) }
                } catch {
                    return .problem(error)
                }
                index += consumed
            case .problem(let problem):
                return .problem(problem)
            case .none:
                let word = tokens[index].word
                guard word.isEmpty || TimeVocabulary.fillers.contains(word) else { return .notATime }
                index += 1
            }
        }
        return spec.isEmpty ? .notATime : .spec(spec)
    }

    private func word(_ index: Int) -> String? {
        index >= 0 && index < tokens.count ? tokens[index].word : nil
    }

    private func match(at index: Int) -> Match {
        let matchers: [(Int) -> Match] = [
            vague, repeating, relativeDay, partOfDay, next, this, weekday, offset, date, clock,
        ]
        for matcher in matchers {
            let result = matcher(index)
            if case .none = result { continue }
            return result
        }
        return .none
    }

    // MARK: Words that refuse to name a time

    private func vague(_ i: Int) -> Match {
        guard let w = word(i) else { return .none }
        let question = "When exactly? For example “in 2 hours”, “today at 5pm” or “tomorrow at 10am”."
        if TimeVocabulary.vague.contains(w) {
            return .problem(.ambiguous(question))
        }
        if w == "weekend" || w == "weekends" {
            return .problem(.ambiguous("Saturday or Sunday, and at what time?"))
        }
        if w == "in", ["a", "an"].contains(word(i + 1)), ["bit", "while", "moment", "sec", "second", "jiffy"].contains(word(i + 2)) {
            return .problem(.ambiguous(question))
        }
        return .none
    }

    private func repeating(_ i: Int) -> Match {
        guard word(i) == "every", let next = word(i + 1) else { return .none }
        let timeWords: Set<String> = ["day", "morning", "evening", "night", "afternoon", "week", "month", "year",
                                      "hour", "minute", "weekday", "weekend", "other"]
        let plural = next.hasSuffix("s") ? String(next.dropLast()) : next
        guard timeWords.contains(next) || TimeVocabulary.weekdays[next] != nil || TimeVocabulary.weekdays[plural] != nil
                || Int(next) != nil || TimeVocabulary.numberWords[next] != nil
        else { return .none }
        return .problem(.unparseable("I can only set one-off reminders for now. When should this one be?"))
    }

    // MARK: Days

    private func relativeDay(_ i: Int) -> Match {
        switch word(i) {
        case "today":
            return .pieces([.day(.today)], consumed: 1)
        case "tonight", "tonite":
            return .pieces([.day(.today), .part(.night)], consumed: 1)
        case "tomorrow", "tmrw", "tmr", "tomorow", "tommorow", "tommorrow":
            return .pieces([.day(.daysAhead(1))], consumed: 1)
        case "day" where word(i + 1) == "after" && word(i + 2) == "tomorrow":
            return .pieces([.day(.daysAhead(2))], consumed: 3)
        case "eod", "cob":
            return .pieces([.part(.endOfDay)], consumed: 1)
        case "end" where word(i + 1) == "of":
            var j = i + 2
            if word(j) == "the" { j += 1 }
            if word(j) == "day" { return .pieces([.part(.endOfDay)], consumed: j - i + 1) }
            if word(j) == "today" { return .pieces([.day(.today), .part(.endOfDay)], consumed: j - i + 1) }
            return .none
        default:
            return .none
        }
    }

    private func partOfDay(_ i: Int) -> Match {
        guard let w = word(i) else { return .none }
        if let part = Self.part(w) { return .pieces([.part(part)], consumed: 1) }
        if w == "in", word(i + 1) == "the", let part = word(i + 2).flatMap(Self.part) {
            return .pieces([.part(part)], consumed: 3)
        }
        switch w {
        case "noon", "midday":
            return .pieces([.clock(ClockTime(hour: 12, minute: 0, meridiem: nil, isTwentyFourHour: true))], consumed: 1)
        case "midnight":
            return .pieces([.midnight], consumed: 1)
        default:
            return .none
        }
    }

    private static func part(_ word: String) -> PartOfDay? {
        switch word {
        case "morning": .morning
        case "afternoon": .afternoon
        case "evening": .evening
        case "night": .night
        default: nil
        }
    }

    private func weekdayNumber(_ index: Int, allowAbbreviation: Bool) -> Int? {
        guard let w = word(index) else { return nil }
        if let day = TimeVocabulary.weekdays[w] { return day }
        return allowAbbreviation ? TimeVocabulary.weekdayAbbreviations[w] : nil
    }

    private func next(_ i: Int) -> Match {
        guard word(i) == "next", let following = word(i + 1) else { return .none }
        if let day = weekdayNumber(i + 1, allowAbbreviation: true) {
            return .pieces([.day(.weekday(day, .next))], consumed: 2)
        }
        switch following {
        case "week":
            return .problem(.ambiguous("Which day next week, and at what time?"))
        case "weekend":
            return .problem(.ambiguous("Saturday or Sunday next weekend, and at what time?"))
        case "month":
            return .problem(.ambiguous("Which day next month, and at what time?"))
        case "year":
            return .problem(.ambiguous("Which date next year, and at what time?"))
        default:
            // "next blursday": meant as a day, but no day we know.
            if following.hasSuffix("day") && following.count > 3 {
                let shown = tokens[i + 1].original
                return .problem(.unparseable("I don't know the day “\(shown)”. Which day do you mean?"))
            }
            return .none
        }
    }

    private func this(_ i: Int) -> Match {
        guard word(i) == "this" || word(i) == "coming", let following = word(i + 1) else { return .none }
        if word(i) == "this", following == "coming", let day = weekdayNumber(i + 2, allowAbbreviation: true) {
            return .pieces([.day(.weekday(day, .plain))], consumed: 3)
        }
        if let day = weekdayNumber(i + 1, allowAbbreviation: true) {
            return .pieces([.day(.weekday(day, word(i) == "this" ? .this : .plain))], consumed: 2)
        }
        guard word(i) == "this" else { return .none }
        if let part = Self.part(following) {
            return .pieces([.day(.today), .part(part)], consumed: 2)
        }
        switch following {
        case "week": return .problem(.ambiguous("Which day this week, and at what time?"))
        case "weekend": return .problem(.ambiguous("Saturday or Sunday, and at what time?"))
        case "month": return .problem(.ambiguous("Which day this month, and at what time?"))
        default: return .none
        }
    }

    private func weekday(_ i: Int) -> Match {
        let afterPreposition = ["on", "by", "until", "till"].contains(word(i - 1))
        guard let day = weekdayNumber(i, allowAbbreviation: afterPreposition) else { return .none }
        return .pieces([.day(.weekday(day, .plain))], consumed: 1)
    }

    // MARK: Offsets: "in 2 hours", "in half an hour", "3 days from now"

    private func offset(_ i: Int) -> Match {
        if word(i) == "in" || word(i) == "after" {
            return amount(at: i + 1, prefixLength: 1, requireFromNow: false)
        }
        // "2 hours from now" has no "in": only take it with its "from now".
        return amount(at: i, prefixLength: 0, requireFromNow: true)
    }

    private func amount(at start: Int, prefixLength: Int, requireFromNow: Bool) -> Match {
        var j = start
        var value: Double
        guard let first = word(j) else { return .none }
        if first == "half", ["an", "a"].contains(word(j + 1)), Self.unit(word(j + 2)) == .hour {
            guard !requireFromNow || (word(j + 3) == "from" && word(j + 4) == "now") else { return .none }
            return .pieces([.offset(30, .minute, extraMinutes: 0)],
                           consumed: prefixLength + 3 + (word(j + 3) == "from" ? 2 : 0))
        }
        if first == "few" || first == "several" || (first == "a" && word(j + 1) == "few") {
            if requireFromNow { return .none }
            let unitIndex = first == "a" ? j + 2 : j + 1
            let unitName = Self.unit(word(unitIndex)).map { Self.plural($0) } ?? "minutes or hours"
            return .problem(.ambiguous("How many \(unitName) exactly?"))
        }
        if (first == "a" && word(j + 1) == "couple") || first == "couple" {
            j += first == "a" ? 2 : 1
            if word(j) == "of" { j += 1 }
            value = 2
        } else if let number = Self.quantity(first) {
            value = number
            j += 1
        } else {
            return .none
        }
        guard let unit = Self.unit(word(j)) else {
            if requireFromNow || prefixLength == 0 { return .none }
            // "in 5": a number with no unit is a question, not minutes.
            let shown = tokens[start].original
            return .problem(.ambiguous("In \(shown) what: minutes, hours or days?"))
        }
        j += 1
        var extraMinutes = 0
        if word(j) == "and", word(j + 1) == "a", word(j + 2) == "half", unit == .hour {
            extraMinutes = 30
            j += 3
        }
        if requireFromNow {
            guard word(j) == "from", word(j + 1) == "now" else { return .none }
            j += 2
        } else if word(j) == "from", word(j + 1) == "now" {
            j += 2
        }
        if value != value.rounded(.down) {
            // Fractions only make sense of hours: "in 1.5 hours".
            guard unit == .hour, extraMinutes == 0 else {
                return .problem(.unparseable("Please give a whole number, for example “in 2 days”."))
            }
            extraMinutes = Int((value - value.rounded(.down)) * 60)
            value.round(.down)
        }
        if value == 0 && extraMinutes == 0 {
            return .problem(.unparseable("That would be right now. When should I remind you?"))
        }
        guard Self.approximateSeconds(Int(value), unit) + Double(extraMinutes * 60) <= 5 * 366 * 86_400 else {
            return .problem(.unparseable("That's more than five years away. Could you give a nearer date?"))
        }
        return .pieces([.offset(Int(value), unit, extraMinutes: extraMinutes)], consumed: prefixLength + j - start)
    }

    private static func quantity(_ word: String) -> Double? {
        if let number = TimeVocabulary.numberWords[word] { return Double(number) }
        if word.count <= 5, word.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let number = Double(word),
           number >= 0 {
            return number
        }
        // "twenty-five"
        let halves = word.split(separator: "-")
        if halves.count == 2, let tens = TimeVocabulary.numberWords[String(halves[0])], tens >= 20, tens % 10 == 0,
           let ones = TimeVocabulary.numberWords[String(halves[1])], (1...9).contains(ones) {
            return Double(tens + ones)
        }
        return nil
    }

    private static func unit(_ word: String?) -> OffsetUnit? {
        switch word {
        case "minute", "minutes", "min", "mins", "m": .minute
        case "hour", "hours", "hr", "hrs", "h": .hour
        case "day", "days": .day
        case "week", "weeks": .week
        case "month", "months": .month
        case "year", "years": .year
        default: nil
        }
    }

    private static func plural(_ unit: OffsetUnit) -> String {
        switch unit {
        case .minute: "minutes"
        case .hour: "hours"
        case .day: "days"
        case .week: "weeks"
        case .month: "months"
        case .year: "years"
        }
    }

    private static func approximateSeconds(_ value: Int, _ unit: OffsetUnit) -> Double {
        let seconds: Double = switch unit {
        case .minute: 60
        case .hour: 3600
        case .day: 86_400
        case .week: 7 * 86_400
        case .month: 31 * 86_400
        case .year: 366 * 86_400
        }
        return Double(value) * seconds
    }

    // MARK: Dates: "3 March", "March 3rd, 2027", "the 15th", "25/12", "2026-03-03"

    private func date(_ i: Int) -> Match {
        guard let w = word(i) else { return .none }
        if let numeric = numericDate(w) { return numeric }
        if let (day, hasOrdinal) = Self.dayNumber(w) {
            var j = i + 1
            if word(j) == "of" { j += 1 }
            if let month = word(j).flatMap({ TimeVocabulary.months[$0] }) {
                j += 1
                let year = word(j).flatMap(Self.year)
                if year != nil { j += 1 }
                return validated(day: day, month: month, year: year, consumed: j - i)
            }
            if hasOrdinal {
                guard (1...31).contains(day) else {
                    return .problem(.unparseable("No month has a \(Self.ordinal(day)). Which date do you mean?"))
                }
                return .pieces([.day(.dayOfMonth(day))], consumed: 1)
            }
            return .none
        }
        if let month = TimeVocabulary.months[w] {
            var j = i + 1
            if word(j) == "the" { j += 1 }
            guard let (day, _) = word(j).flatMap(Self.dayNumber) else { return .none }
            j += 1
            let year = word(j).flatMap(Self.year)
            if year != nil { j += 1 }
            return validated(day: day, month: month, year: year, consumed: j - i)
        }
        return .none
    }

    private func numericDate(_ w: String) -> Match? {
        if w.count == 10, w.split(separator: "-").count == 3 {
            let parts = w.split(separator: "-").map { Int($0) }
            guard let year = parts[0], let month = parts[1], let day = parts[2], (1...12).contains(month) else {
                return .problem(.unparseable("“\(w)” isn't a date I can read. Which date do you mean?"))
            }
            return validated(day: day, month: month, year: year, consumed: 1)
        }
        let parts = w.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
              parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isNumber) }),
              let a = Int(parts[0]), let b = Int(parts[1])
        else { return nil }
        var year: Int?
        if parts.count == 3, let y = Int(parts[2]) { year = y < 100 ? 2000 + y : y }
        switch (a, b) {
        case (1...12, 1...12) where a != b:
            let dayFirst = "\(a) \(TimeVocabulary.monthNames[b - 1])"
            let monthFirst = "\(b) \(TimeVocabulary.monthNames[a - 1])"
            return .problem(.ambiguous("Do you mean \(dayFirst) or \(monthFirst)?"))
        case (1...12, 1...12), (13...31, 1...12):
            return validated(day: a, month: b, year: year, consumed: 1)
        case (1...12, 13...31):
            return validated(day: b, month: a, year: year, consumed: 1)
        default:
            return .problem(.unparseable("“\(w)” isn't a date I can read. Which date do you mean?"))
        }
    }

    private func validated(day: Int, month: Int, year: Int?, consumed: Int) -> Match {
        let monthName = TimeVocabulary.monthNames[month - 1]
        // Without a year, 29 February is checked when the year is chosen.
        let longest = CivilTime.daysIn(month: month, year: year ?? 2000)
        guard day >= 1, day <= longest else {
            let yearText = year.map { " \($0)" } ?? ""
            return .problem(.unparseable(
                "\(monthName)\(yearText) doesn't have a \(Self.ordinal(day)). Which date do you mean?"))
        }
        if let year, !(2000...2200).contains(year) {
            return .problem(.unparseable("I can't set anything in the year \(year). Which date do you mean?"))
        }
        return .pieces([.day(.date(day: day, month: month, year: year))], consumed: consumed)
    }

    private static func dayNumber(_ word: String) -> (Int, hasOrdinal: Bool)? {
        var digits = Substring(word)
        var hasOrdinal = false
        for suffix in ["st", "nd", "rd", "th"] where digits.hasSuffix(suffix) {
            digits = digits.dropLast(2)
            hasOrdinal = true
            break
        }
        guard (1...2).contains(digits.count), digits.allSatisfy(\.isNumber), let day = Int(digits) else { return nil }
        return (day, hasOrdinal)
    }

    private static func year(_ word: String) -> Int? {
        guard word.count == 4, word.allSatisfy(\.isNumber) else { return nil }
        return Int(word)
    }

    static func ordinal(_ n: Int) -> String {
        let suffix = switch (n % 100, n % 10) {
        case (11...13, _): "th"
        case (_, 1): "st"
        case (_, 2): "nd"
        case (_, 3): "rd"
        default: "th"
        }
        return "\(n)\(suffix)"
    }

    // MARK: Clock times: "10", "10am", "10:30pm", "14:30", "9 o'clock"

    private func clock(_ i: Int) -> Match {
        guard let w = word(i), let first = w.first, first.isNumber else { return .none }
        var text = Substring(w)
        var meridiem: Meridiem?
        if text.hasSuffix("am") { meridiem = .am; text = text.dropLast(2) }
        else if text.hasSuffix("pm") { meridiem = .pm; text = text.dropLast(2) }
        else if text.hasSuffix("h") { text = text.dropLast(1) }
        var consumed = 1
        var saysOClock = false
        if meridiem == nil {
            switch word(i + 1) {
            case "am": meridiem = .am; consumed = 2
            case "pm": meridiem = .pm; consumed = 2
            case "o'clock", "oclock": saysOClock = true; consumed = 2
            default: break
            }
        }
        let separator = text.firstIndex(where: { $0 == ":" || $0 == "." })
        let hourText = separator.map { text[..<$0] } ?? text
        let minuteText = separator.map { text[text.index(after: $0)...] }
        guard (1...2).contains(hourText.count), hourText.allSatisfy(\.isNumber), let hour = Int(hourText) else { return .none }
        var minute = 0
        if let minuteText {
            guard minuteText.count == 2, minuteText.allSatisfy(\.isNumber), let value = Int(minuteText) else { return .none }
            minute = value
        }
        let introduced = ["at", "@", "by", "around", "till", "until", "before"].contains(word(i - 1))
        let usesColon = text.contains(":")
        // A bare number is a time only when something says so: "at 10", "10am", "10 o'clock".
        guard usesColon || meridiem != nil || saysOClock || introduced else { return .none }
        let shown = tokens[i..<(i + consumed)].map(\.original).joined(separator: " ")
        if let meridiem {
            guard (1...12).contains(hour), minute < 60 else {
                return .problem(.unparseable("“\(shown)” isn't a valid time. What time do you mean?"))
            }
            return .pieces([.clock(ClockTime(hour: hour, minute: minute, meridiem: meridiem, isTwentyFourHour: false))],
                           consumed: consumed)
        }
        guard hour < 24, minute < 60 else {
            return .problem(.unparseable("“\(shown)” isn't a valid time of day. What time do you mean?"))
        }
        let twentyFour = hour == 0 || hour > 12 || (hourText.count == 2 && hourText.first == "0")
        return .pieces([.clock(ClockTime(hour: hour, minute: minute, meridiem: nil, isTwentyFourHour: twentyFour))],
                       consumed: consumed)
    }
}
