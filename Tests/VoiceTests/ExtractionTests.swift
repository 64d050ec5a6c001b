import Testing
import Voice

@Suite("Hearing names, emails and phone numbers")
struct ExtractionTests {
    @Test(arguments: [
        ("my name is John Smith", "John Smith"),
        ("My name's John Smith.", "John Smith"),
        ("it's Priya", "Priya"),
        ("John Smith", "John Smith"),
        ("john smith", "John Smith"),
        ("Um, yeah, this is Maria Lopez speaking", "Maria Lopez"),
        ("I'm Sam", "Sam"),
        ("you can call me Alex", "Alex"),
        ("Sure, it's Mary-Jane O'Brien", "Mary-Jane O'Brien"),
        ("DeShawn McDonald", "DeShawn McDonald"),
        ("my name is John Smith and my email is john at example dot com", "John Smith"),
        ("Hi, it's Priya here", "Priya"),
        ("मेरा नाम प्रिया शर्मा है", "प्रिया शर्मा"),
        ("मैं राहुल हूँ", "राहुल"),
        ("जी, राहुल वर्मा", "राहुल वर्मा"),
    ])
    func names(_ said: String, _ heard: String) {
        #expect(NameExtractor.extract(from: said) == heard)
    }

    @Test(arguments: [
        "I'm not sure", "why do you need that", "I don't want to say", "hold on a second",
        "my name is 12345", "it is what it is", "", "uh", "can you repeat the question please",
    ])
    func notNames(_ said: String) {
        #expect(NameExtractor.extract(from: said) == nil, "\(said)")
    }

    @Test func explicitIntroductionsOnly() {
        #expect(NameExtractor.explicitIntroduction(in: "no, my name is John Smith") == "John Smith")
        #expect(NameExtractor.explicitIntroduction(in: "actually call me Jim") == "Jim")
        #expect(NameExtractor.explicitIntroduction(in: "it's a billing problem") == nil)
        #expect(NameExtractor.explicitIntroduction(in: "I'm calling about my order") == nil)
    }

    @Test(arguments: [
        ("john at example dot com", "john@example.com"),
        ("j o h n at gmail dot com", "john@gmail.com"),
        ("john.smith@example.com", "john.smith@example.com"),
        ("John.Smith@Example.com.", "john.smith@example.com"),
        ("john underscore smith at example dot co dot uk", "john_smith@example.co.uk"),
        ("my email is john at example dot com", "john@example.com"),
        ("sure, it's john dot smith at example dot com, thanks", "john.smith@example.com"),
        ("thanks, my email is jane at example dot com", "jane@example.com"),
        ("it's j smith two three at example dot org", "jsmith23@example.org"),
        ("john dash doe at my dash company dot io", "john-doe@my-company.io"),
        ("priya at the rate gmail dot com", "priya@gmail.com"),
        ("john at g m a i l dot c o m", "john@gmail.com"),
        ("John Smith at example.com", "johnsmith@example.com"),
        ("john plus news at example dot com", "john+news@example.com"),
        ("I'm at home, my email is kim at example dot net", "kim@example.net"),
    ])
    func emails(_ said: String, _ heard: String) {
        #expect(EmailExtractor.extract(from: said) == heard)
    }

    @Test(arguments: [
        "john at example", "at example dot com", "I don't have one", "john example dot com", "my email is john",
        "call me at five five five",
    ])
    func notEmails(_ said: String) {
        #expect(EmailExtractor.extract(from: said) == nil, "\(said)")
    }

    @Test(arguments: [
        ("five five five oh one oh oh one nine nine", "+15550100199"),
        ("+1 555 010 0199", "+15550100199"),
        ("my number is (555) 010-0199", "+15550100199"),
        ("555.010.0199", "+15550100199"),
        ("1 555 010 0199", "+15550100199"),
        ("plus one five five five zero one zero zero one nine nine", "+15550100199"),
        ("double five five, oh one oh, oh one double nine", "+15550100199"),
        ("oh, it's five five five oh one oh oh one nine nine", "+15550100199"),
        ("+44 20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
    ])
    func phoneNumbersForAnAmericanAgent(_ said: String, _ heard: String) {
        #expect(PhoneExtractor.extract(from: said, defaultCountryCode: "1") == heard)
    }

    @Test func phoneNumbersForAHindiAgent() {
        #expect(PhoneExtractor.extract(from: "98765 43210", defaultCountryCode: "91") == "+919876543210")
        #expect(PhoneExtractor.extract(from: "नौ आठ सात छह पाँच चार तीन दो एक शून्य", defaultCountryCode: "91") == "+919876543210")
        #expect(PhoneExtractor.extract(from: "मेरा नंबर ९८७६५ ४३२१० है", defaultCountryCode: "91") == "+919876543210")
        #expect(PhoneExtractor.extract(from: "09876543210", defaultCountryCode: "91") == "+919876543210")
        #expect(PhoneExtractor.extract(from: "91 98765 43210", defaultCountryCode: "91") == "+919876543210")
    }

    @Test func tooFewDigitsIsNoNumberAndUnknownRegionsKeepTheDigits() {
        #expect(PhoneExtractor.extract(from: "five five five", defaultCountryCode: "1") == nil)
        #expect(PhoneExtractor.extract(from: "it's the one ending in four two", defaultCountryCode: "1") == nil)
        #expect(PhoneExtractor.extract(from: "5550100199", defaultCountryCode: nil) == "5550100199")
    }

    @Test func fieldKindsComeFromFieldNames() {
        #expect(FieldKind(fieldName: "name", example: nil) == .personName)
        #expect(FieldKind(fieldName: "full_name", example: nil) == .personName)
        #expect(FieldKind(fieldName: "company_name", example: nil) == .freeText)
        #expect(FieldKind(fieldName: "email_address", example: nil) == .email)
        #expect(FieldKind(fieldName: "phone_number", example: nil) == .phone)
        #expect(FieldKind(fieldName: "callback_number", example: nil) == .phone)
        #expect(FieldKind(fieldName: "contact", example: nil) == .contact)
        #expect(FieldKind(fieldName: "issue", example: nil) == .freeText)
        #expect(FieldKind(fieldName: "reach_me", example: "ann@example.com") == .email)
        #expect(FieldKind(fieldName: "Customer Name", example: nil) == .personName)
        #expect(FieldKind(fieldName: "user_name", example: nil) == .freeText)
        #expect(FieldKind(fieldName: "Mobile-No", example: nil) == .phone)
        #expect(FieldKind(fieldName: "work.email", example: nil) == .email)
        #expect(FieldKind(fieldName: "contact_email", example: nil) == .email, "email wins over contact")
        #expect(FieldKind(fieldName: "preferred_contact", example: nil) == .contact)
        #expect(FieldKind(fieldName: "names", example: nil) == .freeText, "whole words only")
        #expect(FieldKind(fieldName: "reach_me", example: "+1 555-0100") == .phone)
        #expect(FieldKind(fieldName: "reach_me", example: "ann at example") == .freeText)
    }

    @Test func freeTextDropsHesitationsOnly() {
        let issue = DataField(name: "issue", prompt: "What's the issue?")
        #expect(FieldReader.value(for: issue, in: "Um, uh, my router keeps rebooting.", language: "en-US") == "my router keeps rebooting.")
        #expect(FieldReader.value(for: issue, in: "uh", language: "en-US") == nil)
    }
}
