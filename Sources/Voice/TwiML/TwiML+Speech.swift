extension TwiML {
    /// The document with every `<Say>` (top level and inside `<Gather>`)
    /// replaced by what `speak` makes of it: a `<Play>` of the line synthesized
    /// on our side, or the `<Say>` itself when it could not be. Lines are
    /// offered in document order.
    public func speaking(_ speak: (Say) -> Verb) -> TwiML {
        TwiML(verbs.map { verb in
            switch verb {
            case .say(let say):
                return speak(say)
            case .gather(var gather):
                gather.prompts = gather.prompts.map { prompt in
                    if case .say(let say) = prompt { return speak(say) }
                    return prompt
                }
                return .gather(gather)
            default:
                return verb
            }
        })
    }
}
