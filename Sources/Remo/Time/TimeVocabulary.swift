/// Words the time grammar knows.
enum TimeVocabulary {
    /// Calendar weekday numbers (1 = Sunday … 7 = Saturday) by full name.
    static let weekdays: [String: Int] = [
        "sunday": 1, "monday": 2, "tuesday": 3, "wednesday": 4, "thursday": 5, "friday": 6, "saturday": 7,
    ]

    /// Abbreviations, accepted only after "on", "next", "this" or "coming": alone,
    /// "sun", "sat" and "wed" are too often ordinary words in a reminder's title.
    static let weekdayAbbreviations: [String: Int] = [
        "sun": 1, "mon": 2, "tue": 3, "tues": 3, "wed": 4, "weds": 4, "thu": 5, "thur": 5, "thurs": 5,
        "fri": 6, "sat": 7,
    ]

    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    static let months: [String: Int] = [
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
        "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
        "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
        "december": 12, "dec": 12,
    ]

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]

    static let numberWords: [String: Int] = [
        "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
        "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
        "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90,
    ]

    /// Words that may sit inside a time phrase without meaning anything themselves.
    static let fillers: Set<String> = ["at", "on", "for", "by", "the", "of", "around", "@"]

    /// Words that say "some time, not saying when".
    static let vague: Set<String> = [
        "later", "soon", "sometime", "someday", "eventually", "whenever", "asap", "shortly", "anytime",
    ]

    private static let otherTimeWords: Set<String> = [
        "next", "this", "coming", "in", "after", "every", "week", "weekend", "weekends", "month", "year", "today",
        "tonight", "tomorrow", "noon", "midnight", "midday", "am", "pm", "o'clock", "oclock", "end", "day", "eod",
        "from", "now", "half", "and", "couple", "few", "several", "bit", "while", "moment", "morning", "afternoon",
        "evening", "night", "minute", "minutes", "hour", "hours", "days", "weeks", "months", "years",
    ]

    /// Whether `word` can belong to a time phrase, so that a question about a
    /// phrase is only asked when every word of it is about time.
    static func isTimeWord(_ word: String) -> Bool {
        word.isEmpty || fillers.contains(word) || vague.contains(word) || otherTimeWords.contains(word)
            || weekdays[word] != nil || weekdayAbbreviations[word] != nil || months[word] != nil
            || numberWords[word] != nil || word.contains(where: \.isNumber) || word.hasSuffix("day")
    }
}
