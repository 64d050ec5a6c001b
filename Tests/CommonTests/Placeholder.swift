import XCTest

final class CommonTestsPlaceholder: XCTestCase {}
