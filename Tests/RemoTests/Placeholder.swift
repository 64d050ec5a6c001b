import XCTest

final class RemoTestsPlaceholder: XCTestCase {}
