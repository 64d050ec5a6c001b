import XCTest

final class VoiceTestsPlaceholder: XCTestCase {}
