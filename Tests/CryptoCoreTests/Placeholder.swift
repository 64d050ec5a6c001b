import XCTest

final class CryptoCoreTestsPlaceholder: XCTestCase {}
