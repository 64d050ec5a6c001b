import Foundation
import Testing
@testable import Voice

@Suite("Validation patterns")
struct FieldValidatorTests {
    private func field(_ pattern: String?) -> DataField {
        DataField(name: "code", prompt: "Your code?", validationPattern: pattern)
    }

    @Test func theWholeValueMustMatch() {
        let sixDigits = field("[0-9]{6}")
        #expect(FieldValidator.accepts("123456", for: sixDigits))
        #expect(!FieldValidator.accepts("1234567", for: sixDigits))
        #expect(!FieldValidator.accepts("x123456", for: sixDigits))
        #expect(!FieldValidator.accepts("12345", for: sixDigits))
        #expect(FieldValidator.accepts("anything", for: field(nil)))
        #expect(FieldValidator.accepts("anything", for: field("")))
    }

    @Test func aPatternThatDoesNotCompileAcceptsAnything() {
        #expect(FieldValidator.accepts("anything", for: field("([unclosed")))
        #expect(FieldValidator.accepts("anything", for: field("([unclosed")))
    }

    @Test func unicodePropertiesMatch() {
        let letters = field("\\p{L}+(?: \\p{L}+)*")
        #expect(FieldValidator.accepts("José Núñez", for: letters))
        #expect(!FieldValidator.accepts("R2 D2", for: letters))
    }

    @Test func aPatternIsCompiledOncePerProcess() throws {
        let cache = CompiledPatterns(capacity: 8)
        let first = try #require(cache.regex(for: "[a-z]+"))
        let second = try #require(cache.regex(for: "[a-z]+"))
        #expect(first === second)
        #expect(cache.regex(for: "(") == nil)
        #expect(cache.regex(for: "(") == nil)
        #expect(cache.count == 2)
    }

    @Test func theCacheStaysWithinItsCapacity() {
        let cache = CompiledPatterns(capacity: 4)
        for n in 0..<10 { _ = cache.regex(for: "a{\(n)}") }
        #expect(cache.count <= 4)
        #expect(cache.regex(for: "a{9}")?.firstMatch(in: "aaaaaaaaa", range: NSRange(location: 0, length: 9)) != nil)
    }
}
