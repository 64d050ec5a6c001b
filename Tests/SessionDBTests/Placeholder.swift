import XCTest

final class SessionDBTestsPlaceholder: XCTestCase {}
