import Testing
@testable import Voice

@Suite("Words and trimming")
struct UtteranceTrimTests {
    @Test("ASCII and other text split into the same kind of words")
    func words() {
        #expect(Utterance("Hi, I'm Alex -- that's ALL!  42x").words == ["hi", "im", "alex", "thats", "all", "42x"])
        #expect(Utterance("don`t stop").words == ["dont", "stop"])
        #expect(Utterance("Café, s’il vous plaît").words == ["café", "sil", "vous", "plaît"])
        #expect(Utterance("मुझे इंसान से बात करनी है").words.count == 6)
        #expect(Utterance("  ...  ").words.isEmpty)
    }

    @Test("Trimming removes white space and line breaks at both ends only")
    func trimming() {
        #expect("  hello there \n\t".trimmed == "hello there")
        #expect("hello".trimmed == "hello")
        #expect(" \n\t\u{00A0}\u{2003}".trimmed == "")
        #expect("\u{00A0}नमस्ते\u{2029}".trimmed == "नमस्ते")
        #expect(spokenLine([" Thanks. ", "", "\n", "Goodbye!"]) == "Thanks. Goodbye!")
    }

    @Test("A caller line is trimmed, its control characters become spaces, and it is cut to the limit")
    func cleanedLines() {
        let engine = RuleEngine(configuration: RuleEngine.Configuration(maxSpeechCharacters: 8))
        #expect(engine.cleaned("  hello there  ") == "hello th")
        #expect(engine.cleaned(" hi ") == "hi")
        #expect(engine.cleaned("     ") == "")
        #expect(engine.cleaned("") == "")
        #expect(engine.cleaned("a\u{7}b\tc\n") == "a b c")
        // Other text is cut by characters (grapheme clusters), not bytes.
        #expect(engine.cleaned("\u{85}नमस्ते दुनिया") == String("नमस्ते दुनिया".prefix(8)))
        #expect(engine.cleaned("Café au lait") == "Café au ")
        let roomy = RuleEngine()
        #expect(roomy.cleaned("  My name is Alex.  ") == "My name is Alex.")
    }
}
