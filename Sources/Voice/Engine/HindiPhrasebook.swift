/// What agents say in Hindi (Devanagari). The agent speaks in the feminine
/// first person ("पाई", "सकती"), matching the seed agent's voice, Polly.Aditi.
public struct HindiPhrasebook: Phrasebook {
    public init() {}

    /// The field as "your …" and as a bare noun.
    func label(_ field: DataField) -> (yours: String, noun: String) {
        switch field.kind {
        case .personName: ("आपका नाम", "नाम")
        case .email: ("आपका ईमेल पता", "ईमेल पता")
        case .phone: ("आपका फ़ोन नंबर", "फ़ोन नंबर")
        case .contact: ("आपकी संपर्क जानकारी", "ईमेल या फ़ोन नंबर")
        case .freeText: ("यह जानकारी", "विवरण")
        }
    }

    public func welcomeBack(name: String?) -> String {
        name.map { "फिर से आपका स्वागत है, \($0) जी।" } ?? "फिर से आपका स्वागत है।"
    }

    public func acknowledge(_ field: DataField, value: String) -> String {
        switch field.kind {
        case .personName: "धन्यवाद, \(value) जी।"
        case .email: "धन्यवाद। मैंने आपका ईमेल \(value) दर्ज कर लिया है।"
        case .phone: "धन्यवाद। मैंने आपका नंबर \(speakable(value, kind: .phone)) दर्ज कर लिया है।"
        case .contact: "धन्यवाद। मैंने \(speakable(value, kind: .contact)) दर्ज कर लिया है।"
        case .freeText: "ठीक है।"
        }
    }

    public func confirm(_ field: DataField, value: String) -> String {
        "मुझे लगा \(label(field).yours) \(speakable(value, kind: field.kind)) है। क्या यह सही है?"
    }

    public var confirmEndCall: String { "क्या आप कॉल समाप्त करना चाहते हैं?" }
    public var continueCall: String { "ठीक है, चलिए आगे बढ़ते हैं।" }
    public var confirmationRejected: String { "माफ़ कीजिए, चलिए फिर से कोशिश करते हैं।" }

    public func notUnderstood(_ field: DataField) -> String {
        "माफ़ कीजिए, मैं \(label(field).yours) ठीक से समझ नहीं पाई।"
    }

    public func invalid(_ field: DataField, value: String) -> String {
        guard echoable(value, kind: field.kind) else { return "माफ़ कीजिए, मैं इस उत्तर का उपयोग नहीं कर पाई।" }
        return "माफ़ कीजिए, \(speakable(value, kind: field.kind)) सही \(label(field).noun) नहीं लगता।"
    }

    public func example(_ example: String) -> String { "उदाहरण के लिए: \(example)।" }

    public func allCollected(name: String?) -> String {
        let thanks = name.map { "धन्यवाद, \($0) जी।" } ?? "धन्यवाद।"
        return thanks + " मुझे सारी ज़रूरी जानकारी मिल गई है, हमारी टीम जल्द ही आपसे संपर्क करेगी।"
    }

    public var requiredDataComplete: String { "ज़रूरी जानकारी पूरी हो गई है।" }
    public var anythingElse: String { "क्या मैं आपकी और कोई मदद कर सकती हूँ?" }
    public var openQuestion: String { "बताइए, मैं आपकी क्या मदद कर सकती हूँ?" }
    public var whatElse: String { "ज़रूर। बताइए, मैं और क्या मदद कर सकती हूँ?" }
    public var noted: String { "मैंने यह बात हमारी टीम के लिए नोट कर ली है।" }

    public var farewell: String { "आपका दिन शुभ हो। अलविदा!" }

    public func goodbye(name: String?) -> String {
        (name.map { "कॉल करने के लिए धन्यवाद, \($0) जी।" } ?? "कॉल करने के लिए धन्यवाद।") + " आपका दिन शुभ हो। अलविदा!"
    }

    public func noInput(strike: Int) -> String {
        strike <= 1 ? "माफ़ कीजिए, मुझे कुछ सुनाई नहीं दिया।" : "क्या आप लाइन पर हैं?"
    }

    public var noInputHangUp: String {
        "मुझे आपकी आवाज़ सुनाई नहीं दे रही है, इसलिए मैं यह कॉल समाप्त कर रही हूँ। आप कभी भी दोबारा कॉल कर सकते हैं। अलविदा।"
    }

    public var transferring: String { "ज़रूर। मैं आपको हमारी टीम के किसी सदस्य से जोड़ रही हूँ। कृपया लाइन पर बने रहें।" }
    public var transferUnanswered: String {
        "माफ़ कीजिए, अभी कोई आपकी कॉल नहीं ले पाया। अपना छोटा सा संदेश बताइए, मैं उसे आगे पहुँचा दूँगी।"
    }
    public var messageTaken: String { "धन्यवाद, मैं आपका संदेश आगे पहुँचा दूँगी। अलविदा!" }
    public var askToRepeat: String { "माफ़ कीजिए, मैं ठीक से समझ नहीं पाई। क्या आप दोबारा बोल सकते हैं?" }

    public func turnLimitReached(dataComplete: Bool) -> String {
        dataComplete
            ? "इस कॉल का समय पूरा हो गया है, इसलिए मैं अब कॉल समाप्त कर रही हूँ। धन्यवाद, अलविदा!"
            : "माफ़ कीजिए, इस कॉल का समय पूरा हो गया है। हमारी टीम जल्द ही आपसे संपर्क करेगी। अलविदा!"
    }

    public func help(remaining: [DataField]) -> String {
        var text = "मैं एक स्वचालित सहायक हूँ।"
        if !remaining.isEmpty {
            text += " हमारी टीम आपकी मदद कर सके, इसके लिए मुझे कुछ जानकारी चाहिए: "
                + remaining.map { label($0).noun }.joined(separator: ", ") + "।"
        }
        return text + " आप मुझसे समय या तारीख भी पूछ सकते हैं, या कॉल समाप्त करने के लिए अलविदा कह सकते हैं।"
    }

    public func time(hour: Int, minute: Int) -> String {
        let period: String
        switch hour {
        case 4..<12: period = "सुबह"
        case 12..<16: period = "दोपहर"
        case 16..<20: period = "शाम"
        default: period = "रात"
        }
        let hour12 = hour % 12 == 0 ? 12 : hour % 12
        let minutes = minute < 10 ? "0\(minute)" : "\(minute)"
        return "अभी \(period) के \(hour12):\(minutes) बजे हैं।"
    }

    public func date(year: Int, month: Int, day: Int, weekday: Int) -> String {
        "आज \(Self.weekdays[(weekday - 1) % 7]), \(day) \(Self.months[month - 1]) \(year) है।"
    }

    private static let weekdays = ["रविवार", "सोमवार", "मंगलवार", "बुधवार", "गुरुवार", "शुक्रवार", "शनिवार"]
    private static let months = [
        "जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर",
    ]

    public var hello: String { "नमस्ते!" }
    public var skipped: String { "कोई बात नहीं, इसे छोड़ देते हैं।" }
    public func nameUpdated(_ name: String) -> String { "धन्यवाद, मैंने आपका नाम \(name) कर दिया है।" }
    public var alreadyEnded: String { "कॉल करने के लिए धन्यवाद। अलविदा!" }

    public func apology(_ reason: ApologyReason) -> String {
        switch reason {
        case .badRequest: "माफ़ कीजिए, हम इस कॉल को आगे नहीं बढ़ा पा रहे हैं। कृपया बाद में दोबारा कोशिश करें। अलविदा।"
        case .unknownCall: "माफ़ कीजिए, हम यह कॉल जारी नहीं रख पा रहे हैं। कृपया दोबारा कॉल करें। अलविदा।"
        case .unavailable: "माफ़ कीजिए, हमारी तरफ़ तकनीकी समस्या आ गई है। कृपया थोड़ी देर बाद दोबारा कोशिश करें। अलविदा।"
        }
    }
}
