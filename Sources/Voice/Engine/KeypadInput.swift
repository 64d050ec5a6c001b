extension TurnInput {
    /// Keys typed instead of words (an account number, a phone number, a date
    /// of birth) reach the engine as what the caller said, fully confident:
    /// the field readers take digits as they take spoken ones.
    var typedAsSpoken: TurnInput {
        guard let digits, (speech ?? "").trimmingCharacters(in: .whitespaces).isEmpty else { return self }
        var typed = self
        typed.speech = digits
        typed.confidence = 1
        return typed
    }
}
