import Foundation
import Testing
import Voice

@Suite("The Hindi agent")
struct HindiAgentTests {
    @Test func aHindiCallIsConductedInHindi() {
        var call = CallScript(agent: SeedAgents.hindiSupport, timeZone: TimeZone(identifier: "Asia/Kolkata")!)
        let opening = call.start()
        #expect(opening.reply == "नमस्ते! ग्राहक सहायता केंद्र में कॉल करने के लिए धन्यवाद। मैं अदिति हूँ, और मैं आपकी मदद करूँगी। कृपया अपना पूरा नाम बताइए।")

        let name = call.say("मेरा नाम राहुल वर्मा है")
        #expect(name.reply == "धन्यवाद, राहुल वर्मा जी। कृपया अपना दस अंकों का मोबाइल नंबर बताइए।")

        let phone = call.say("नौ आठ सात छह पाँच चार तीन दो एक शून्य")
        #expect(phone.reply == "धन्यवाद। मैंने आपका नंबर + 9 1 9 8 7 6 5 4 3 2 1 0 दर्ज कर लिया है। कृपया अपनी समस्या के बारे में संक्षेप में बताइए।")

        let issue = call.say("मेरा ऑर्डर अभी तक नहीं पहुँचा")
        #expect(issue.reply == "ठीक है। धन्यवाद, राहुल जी। मुझे सारी ज़रूरी जानकारी मिल गई है, हमारी टीम जल्द ही आपसे संपर्क करेगी। क्या मैं आपकी और कोई मदद कर सकती हूँ?")

        let goodbye = call.say("धन्यवाद, बस इतना ही")
        #expect(goodbye.reply == "कॉल करने के लिए धन्यवाद, राहुल जी। आपका दिन शुभ हो। अलविदा!")
        #expect(goodbye.action == .hangUp(.user))
        #expect(call.session.dataCollected == ["name": "राहुल वर्मा", "phone": "+919876543210", "issue": "मेरा ऑर्डर अभी तक नहीं पहुँचा"])
    }

    @Test func alvidaEndsTheCallAtAnyPoint() {
        var call = CallScript(agent: SeedAgents.hindiSupport)
        call.start()
        #expect(call.say("अलविदा").action == .hangUp(.user))
    }

    @Test func aHindiThankYouWithMoreToSayDoesNotEndTheCall() {
        var call = CallScript(agent: SeedAgents.hindiSupport)
        call.start()
        #expect(call.say("धन्यवाद, मेरा नाम प्रिया है").action == .gather)
        #expect(call.session.dataCollected["name"] == "प्रिया")
    }

    @Test func smallTalkIsAnsweredInHindi() {
        var call = CallScript(agent: SeedAgents.hindiSupport, timeZone: TimeZone(identifier: "Asia/Kolkata")!)
        call.start()
        // 13:40 UTC is 19:10 in India.
        #expect(call.say("अभी कितने बजे हैं").reply == "अभी शाम के 7:10 बजे हैं। कृपया अपना पूरा नाम बताइए।")
        #expect(call.say("आज की तारीख क्या है").reply == "आज मंगलवार, 13 मई 2025 है। कृपया अपना पूरा नाम बताइए।")
        #expect(call.say("नमस्ते").reply == "नमस्ते! कृपया अपना पूरा नाम बताइए।")
        #expect(call.say("मदद चाहिए").reply.hasPrefix("मैं एक स्वचालित सहायक हूँ। हमारी टीम आपकी मदद कर सके, इसके लिए मुझे कुछ जानकारी चाहिए: नाम, फ़ोन नंबर, विवरण।"))
    }

    @Test func silenceAndLowConfidenceAreHandledInHindi() {
        var call = CallScript(agent: SeedAgents.hindiSupport)
        call.start()
        #expect(call.say(nil).reply == "माफ़ कीजिए, मुझे कुछ सुनाई नहीं दिया। कृपया अपना पूरा नाम बताइए।")
        #expect(call.say(nil).reply == "क्या आप लाइन पर हैं? कृपया अपना पूरा नाम बताइए।")
        #expect(call.say("राहुल", confidence: 0.3).reply == "माफ़ कीजिए, मैं ठीक से समझ नहीं पाई। क्या आप दोबारा बोल सकते हैं? कृपया अपना पूरा नाम बताइए।")
        #expect(call.say("राहुल", confidence: 0.3).reply == "मुझे लगा आपका नाम राहुल है। क्या यह सही है?")
        #expect(call.say("हाँ जी").reply.hasPrefix("धन्यवाद, राहुल जी।"))
        let invalid = call.say("मेरा नंबर 12345 है")
        #expect(invalid.reply.hasPrefix("माफ़ कीजिए, मैं आपका फ़ोन नंबर ठीक से समझ नहीं पाई। उदाहरण के लिए: 98765 43210।"))
    }

    @Test func theApologyIsInTheAgentsLanguage() {
        let xml = TwiML.apology(.unknownCall, agent: SeedAgents.hindiSupport).xml
        #expect(xml.contains("माफ़ कीजिए, हम यह कॉल जारी नहीं रख पा रहे हैं।"))
        #expect(xml.contains(#"voice="Polly.Aditi" language="hi-IN""#))
    }
}
