/// The caller intents the rule engine recognises outside of field answers.
///
/// English and Hindi (Devanagari, plus the romanised forms speech recognisers
/// sometimes return) share one lexicon per intent: callers mix languages, and a
/// Hindi speaker saying "ok bye" means goodbye just as well.
enum Intents {
    static let politeFillers = [
        "thanks", "thank you", "thankyou", "thanks a lot", "thanks so much", "thank you so much",
        "thank you very much", "much appreciated", "i appreciate it", "appreciate it", "for your help",
        "for the help", "ok", "okay", "alright", "all right", "great", "perfect", "cool", "good", "fine",
        "yes", "yeah", "no", "nope", "nah", "no thanks", "no thank you", "for now", "then", "so", "well",
        "um", "uh", "oh", "ah", "and", "please", "sir", "maam", "again", "now", "i think", "i guess",
        "you too", "really", "very", "much",
        "धन्यवाद", "शुक्रिया", "बहुत", "जी", "ठीक है", "ठीक", "ओके", "नहीं", "था", "है", "आपका", "आपको",
        "थैंक यू", "हाँ", "हां", "तो", "अच्छा", "dhanyavad", "dhanyavaad", "shukriya", "theek hai", "ji",
    ]

    /// Whole-utterance goodbyes. "no" and "thanks" are only fillers: on their
    /// own they do not end a call, except in reply to "anything else?".
    static let goodbye = Lexicon(
        key: [
            "bye", "goodbye", "good bye", "bye bye", "byebye", "thats all", "that is all", "thats it", "that is it",
            "thats everything", "that is everything", "thatll be all", "that will be all", "thats all i needed",
            "thats all i need", "im done", "i am done", "were done", "we are done", "all done", "nothing else",
            "see you", "see ya", "see you later", "talk to you later", "talk later", "have a good day",
            "have a nice day", "have a great day", "have a good one", "have a good night", "good night",
            "take care", "end the call", "you can end the call", "hang up", "you can hang up", "please hang up",
            "farewell", "ciao", "cheerio",
            "अलविदा", "बस इतना ही", "बस इतना", "इतना ही", "बस यही", "बस यही था", "बाय", "बाय बाय",
            "फिर मिलेंगे", "और कुछ नहीं", "कुछ और नहीं", "काम हो गया", "कॉल काट दीजिए", "फोन रख दीजिए",
            "alvida", "bas itna hi", "bas itna", "aur kuch nahi", "phir milenge",
        ],
        fillers: politeFillers)

    /// What also ends a call once the agent has asked "anything else?".
    static let nothingElse = Lexicon(
        key: [
            "no", "nope", "nah", "no thanks", "no thank you", "nothing", "not really", "im good", "i am good",
            "all good", "im fine", "im all set", "i am all set", "were good", "thats fine", "no need",
            "नहीं", "जी नहीं", "कुछ नहीं", "नहीं धन्यवाद", "नहीं जी", "ना", "nahi", "kuch nahi",
        ],
        fillers: politeFillers)

    static let help = Lexicon(
        key: [
            "help", "help me", "i need help", "i need some help", "can you help me", "could you help me",
            "what can you do", "what can i say", "what are my options", "how does this work",
            "i dont understand", "what do you need", "what do i say", "what should i say", "what is this",
            "what is this call about", "whats this about", "what is this about", "who is this", "who are you",
            "मदद", "सहायता", "मदद चाहिए", "मदद कीजिए", "मदद करें", "मुझे मदद चाहिए", "आप क्या कर सकते हैं",
            "समझ नहीं आया", "मैं समझा नहीं", "आप कौन हैं", "madad", "madad chahiye",
        ],
        fillers: ["please", "um", "uh", "so", "hi", "hello", "hey", "sorry", "excuse me", "me", "with this",
                  "here", "कृपया", "जी", "मुझे", "मेरी", "थोड़ी"])

    static let repeatPlease = Lexicon(
        key: [
            "repeat", "repeat that", "repeat it", "repeat the question", "can you repeat that", "could you repeat that",
            "say that again", "can you say that again", "could you say that again", "come again", "pardon",
            "pardon me", "what did you say", "sorry what", "what was that", "one more time",
            "फिर से बोलिए", "दोबारा बोलिए", "फिर से कहिए", "दोबारा कहिए", "क्या कहा", "क्या बोला", "फिर से",
        ],
        fillers: ["please", "sorry", "um", "uh", "i", "didnt", "catch", "that", "hear", "you", "can", "could",
                  "कृपया", "जी", "माफ़", "कीजिए", "आपने"])

    static let time = Lexicon(
        key: ["time", "the time", "what time", "समय", "टाइम", "कितने बजे", "बजे", "बज रहे"],
        fillers: dateTimeFillers)

    static let date = Lexicon(
        key: ["date", "the date", "what day", "day", "todays date", "तारीख", "तारीख़", "दिनांक", "डेट", "दिन", "कौन सा दिन", "वार"],
        fillers: dateTimeFillers)

    private static let dateTimeFillers = [
        "what", "whats", "is", "it", "the", "please", "tell", "me", "can", "could", "would", "you", "now",
        "right", "current", "currently", "today", "todays", "do", "have", "know", "um", "uh", "so", "hey",
        "and", "of", "sorry", "excuse", "by", "the way", "also", "there", "where", "you are", "what is", "is it",
        "क्या", "है", "हैं", "अभी", "आज", "की", "का", "कितना", "हुआ", "हो", "रहा", "रहे", "कौन", "सा", "सी",
        "बताइए", "बताओ", "बता", "सकते", "दीजिए", "कृपया", "जी", "और",
    ]

    static let greeting = Lexicon(
        key: [
            "hello", "hi", "hey", "hiya", "hi there", "hello there", "good morning", "good afternoon",
            "good evening", "howdy", "namaste", "namaskar",
            "नमस्ते", "नमस्कार", "हेलो", "हैलो", "हाय", "प्रणाम",
        ],
        fillers: ["how are you", "how are you doing", "um", "uh", "oh", "yes", "yeah", "ok", "okay", "again",
                  "there", "is anyone there", "anyone there", "can you hear me", "जी", "आप कैसे हैं", "कैसे हैं"])

    static let yes = Lexicon(
        key: [
            "yes", "yeah", "yep", "yup", "ya", "correct", "right", "thats right", "that is right", "thats correct",
            "that is correct", "exactly", "sure", "absolutely", "affirmative", "indeed", "true", "ok", "okay",
            "you got it", "got it", "sounds good", "yes please", "it is",
            "हाँ", "हां", "हा", "जी", "जी हाँ", "जी हां", "हाँ जी", "सही", "सही है", "बिल्कुल", "ठीक है", "haan", "ha", "sahi",
        ],
        fillers: ["um", "uh", "thats", "that is", "its", "please", "thanks", "thank you", "perfect", "great", "है", "बिलकुल"])

    static let no = Lexicon(
        key: [
            "no", "nope", "nah", "wrong", "incorrect", "not right", "thats wrong", "thats not right",
            "that is not right", "not correct", "thats not correct", "negative", "no its not", "no it isnt",
            "नहीं", "ना", "गलत", "ग़लत", "जी नहीं", "नहीं जी", "सही नहीं", "nahi", "galat",
        ],
        fillers: ["um", "uh", "sorry", "thats", "that is", "its", "है", "यह", "ये"])

    /// Declining an optional question.
    static let skip = Lexicon(
        key: [
            "skip", "skip it", "skip that", "skip this", "pass", "none", "no", "nope", "not sure", "im not sure",
            "i dont know", "dont know", "i dont have one", "dont have one", "i dont have any", "no idea",
            "not applicable", "rather not say", "id rather not say", "prefer not to say", "next", "not yet",
            "नहीं", "पता नहीं", "छोड़ दीजिए", "छोड़ो", "नहीं है", "मालूम नहीं", "अभी नहीं",
        ],
        fillers: ["um", "uh", "sorry", "thanks", "thank you", "please", "just", "i think", "really", "जी", "माफ़ कीजिए"])

    /// Whether the words end the call. `afterAnythingElse` is true when the
    /// agent's last question was whether the caller needs anything else.
    static func isGoodbye(_ words: [String], afterAnythingElse: Bool) -> Bool {
        goodbye.matches(words) || (afterAnythingElse && nothingElse.matches(words))
    }

    /// A plain yes or no; nil when the words are neither, or carry more (a correction).
    static func yesOrNo(_ words: [String]) -> Bool? {
        let isYes = yes.matches(words)
        let isNo = no.matches(words)
        if isYes == isNo { return nil }
        return isYes
    }

    /// A caller asking for a person ("can I talk to a real person please",
    /// "agent", "representative"): a person word, with request words around it.
    static let person = Lexicon(
        key: [
            "person", "real person", "live person", "human", "human being", "real human", "representative",
            "operator", "agent", "live agent", "real agent", "someone", "somebody", "customer service",
            "customer support", "manager", "supervisor", "member of staff", "member of your team",
            "इंसान", "असली इंसान", "व्यक्ति", "एजेंट", "ऑपरेटर", "insaan", "asli insaan",
        ],
        fillers: [
            "can i", "could i", "may i", "can you", "could you", "i want to", "i wanna", "i would like to",
            "id like to", "i need to", "i want", "i need", "let me", "please", "talk to", "speak to", "speak with",
            "talk with", "connect me to", "connect me with", "transfer me to", "put me through to", "get me",
            "give me", "just", "now", "right now", "a", "an", "the", "actual", "yes", "ok", "okay", "hi", "hello",
            "from your team", "instead", "transfer me", "connect me", "i", "to",
            "मुझे", "किसी", "से", "बात", "करनी", "करना", "है", "हैं", "करवाइए", "कराइए", "चाहता", "चाहती", "हूँ",
            "हूं", "कृपया", "जोड़िए", "mujhe", "kisi", "se", "baat", "karni", "hai", "karwaiye",
        ])
}
