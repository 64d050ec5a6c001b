import Foundation

extension RuleEngine {
    /// One turn being worked out: the session as it changes, and the reply as
    /// it is assembled from what the agent says (`lead`) and the question it
    /// ends on (`question`), kept apart so the turn limit can drop the question.
    struct Turn {
        var session: Session
        let phrases: any Phrasebook
        let configuration: Configuration
        let input: TurnInput
        var lead: [String] = []
        var question: String?
        var endedBy: EndedBy?

        init(session: Session, phrases: any Phrasebook, configuration: Configuration, input: TurnInput) {
            self.session = session
            self.phrases = phrases
            self.configuration = configuration
            self.input = input
        }

        mutating func end(_ reason: EndedBy, saying text: String) {
            lead.append(text)
            question = nil
            endedBy = reason
        }

        /// The question the caller is expected to answer now.
        var currentQuestion: String {
            if let pending = session.pendingConfirmation {
                switch pending.subject {
                case .endCall:
                    return phrases.confirmEndCall
                case .fieldValue:
                    if let name = pending.field, let field = session.agent.field(named: name), let value = pending.value {
                        return phrases.confirm(field, value: value)
                    }
                }
            }
            if session.phase == .collecting, let field = session.currentDataField {
                return field.prompt
            }
            return phrases.anythingElse
        }

        mutating func handleSilence() {
            session.noInputStrikes += 1
            if session.noInputStrikes >= configuration.noInputLimit {
                end(.systemTimeout, saying: phrases.noInputHangUp)
            } else {
                lead.append(phrases.noInput(strike: session.noInputStrikes))
                question = currentQuestion
            }
        }

        mutating func handleSpeech(_ speech: String) {
            let words = Utterance(speech).words
            var tentative = false
            if let confidence = input.confidence, confidence < configuration.lowConfidenceThreshold {
                session.lowConfidenceStrikes += 1
                if session.lowConfidenceStrikes < 2 {
                    lead.append(phrases.askToRepeat)
                    question = currentQuestion
                    return
                }
                tentative = true
            }
            session.lowConfidenceStrikes = 0

            if let pending = session.pendingConfirmation {
                if let yes = Intents.yesOrNo(words) {
                    session.pendingConfirmation = nil
                    answerConfirmation(pending, yes: yes)
                    return
                }
                // Neither yes nor no: drop the question and take the words afresh
                // (a goodbye, a question of their own, or a corrected value).
                session.pendingConfirmation = nil
            }

            if Intents.isGoodbye(words, afterAnythingElse: session.phase == .wrappingUp) {
                if tentative {
                    session.pendingConfirmation = PendingConfirmation(subject: .endCall)
                    question = phrases.confirmEndCall
                } else {
                    end(.user, saying: phrases.goodbye(name: session.callerFirstName))
                }
                return
            }
            if answerSmallTalk(words) { return }

            if let current = session.currentDataField, current.kind != .personName,
               let nameField = session.agent.dataToFill.first(where: { $0.kind == .personName }),
               let name = NameExtractor.explicitIntroduction(in: speech), FieldValidator.accepts(name, for: nameField) {
                session.dataCollected[nameField.name] = name
                lead.append(phrases.nameUpdated(name))
                question = currentQuestion
                return
            }

            switch session.phase {
            case .collecting:
                if let field = session.currentDataField {
                    answerField(field, speech: speech, words: words, tentative: tentative)
                } else {
                    advance()
                }
            case .wrappingUp, .notStarted, .ended:
                if Intents.yesOrNo(words) == true {
                    question = phrases.whatElse
                } else {
                    lead.append(phrases.noted)
                    question = phrases.anythingElse
                }
            }
        }

        /// Help, time, date and hello: answered, then the open question is asked again.
        private mutating func answerSmallTalk(_ words: [String]) -> Bool {
            if Intents.repeatPlease.matches(words) {
                // The agent's last line, as said; the caller's request is now
                // the newest line, so look past it.
                let lastLine = session.transcript.last { $0.role == .assistant }?.content
                lead.append(lastLine ?? currentQuestion)
                return true
            }
            if Intents.help.matches(words) {
                let remaining = session.agent.dataToFill.filter {
                    session.dataCollected[$0.name] == nil && !session.skippedFields.contains($0.name)
                }
                lead.append(phrases.help(remaining: remaining))
            } else {
                let asksTime = Intents.time.matches(words)
                let asksDate = Intents.date.matches(words)
                if asksTime || asksDate {
                    var calendar = Calendar(identifier: .gregorian)
                    calendar.timeZone = input.timeZone
                    let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: input.now)
                    if asksTime { lead.append(phrases.time(hour: parts.hour ?? 0, minute: parts.minute ?? 0)) }
                    if asksDate {
                        lead.append(phrases.date(
                            year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1,
                            weekday: parts.weekday ?? 1))
                    }
                } else if Intents.greeting.matches(words) {
                    lead.append(phrases.hello)
                } else {
                    return false
                }
            }
            question = currentQuestion
            return true
        }

        private mutating func answerConfirmation(_ pending: PendingConfirmation, yes: Bool) {
            switch pending.subject {
            case .endCall:
                if yes {
                    end(.user, saying: phrases.goodbye(name: session.callerFirstName))
                } else {
                    lead.append(phrases.continueCall)
                    question = currentQuestion
                }
            case .fieldValue:
                guard let name = pending.field, let field = session.agent.field(named: name), let value = pending.value else {
                    question = currentQuestion
                    return
                }
                if yes {
                    commit(field, value: value)
                } else {
                    lead.append(phrases.confirmationRejected)
                    question = field.prompt
                }
            }
        }

        private mutating func answerField(_ field: DataField, speech: String, words: [String], tentative: Bool) {
            if !field.required, Intents.skip.matches(words) {
                session.skippedFields.append(field.name)
                lead.append(phrases.skipped)
                advance()
                return
            }
            guard let value = FieldReader.value(for: field, in: speech, language: session.agent.language) else {
                fail(field, saying: phrases.notUnderstood(field))
                return
            }
            guard FieldValidator.accepts(value, for: field) else {
                fail(field, saying: phrases.invalid(field, value: value))
                return
            }
            if tentative {
                session.pendingConfirmation = PendingConfirmation(subject: .fieldValue, field: field.name, value: value)
                question = phrases.confirm(field, value: value)
                return
            }
            commit(field, value: value)
        }

        private mutating func fail(_ field: DataField, saying text: String) {
            session.fieldAttempts += 1
            if !field.required, session.fieldAttempts >= configuration.optionalFieldAttempts {
                session.skippedFields.append(field.name)
                lead.append(text)
                lead.append(phrases.skipped)
                advance()
                return
            }
            lead.append(text)
            if let example = field.example, !example.isEmpty { lead.append(phrases.example(example)) }
            question = field.prompt
        }

        private mutating func commit(_ field: DataField, value: String) {
            let hadRequired = session.hasAllRequiredData
            session.dataCollected[field.name] = value
            lead.append(phrases.acknowledge(field, value: value))
            if !hadRequired, session.hasAllRequiredData, session.nextUnfilledField() != nil {
                lead.append(phrases.requiredDataComplete)
            }
            advance()
        }

        /// Moves to the next field still missing, or to the close when none is.
        private mutating func advance() {
            session.fieldAttempts = 0
            if let next = session.nextUnfilledField() {
                session.phase = .collecting
                session.currentField = next.name
                question = next.prompt
            } else {
                session.phase = .wrappingUp
                session.currentField = nil
                lead.append(phrases.allCollected(name: session.callerFirstName))
                question = phrases.anythingElse
            }
        }
    }
}
