import XCTest
import Foundation
@testable import CryptoCore

final class SHA256Tests: XCTestCase {
    // NIST FIPS 180-2 examples.
    func testNISTVectors() {
        XCTAssertEqual(SHA256.hexDigest(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hexDigest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            SHA256.hexDigest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testMillionAStreamed() {
        let hasher = SHA256.Hasher()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        XCTAssertEqual(Hex.encode(hasher.finalize()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testFileRange() throws {
        let path = NSTemporaryDirectory() + "sha-\(UUID().uuidString)"
        let content = Array("xxabcyy".utf8)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(content)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertEqual(Hex.encode(try SHA256.hash(fileAt: path, offset: 2, length: 3)), SHA256.hexDigest("abc"))
        XCTAssertEqual(try SHA256.hash(fileAt: path), SHA256.hash(content))
        XCTAssertThrowsError(try SHA256.hash(fileAt: path, offset: 5, length: 10))
        XCTAssertThrowsError(try SHA256.hash(fileAt: path + ".missing"))
    }

    /// Files read in several chunks, and in none.
    func testFilesOfEverySize() throws {
        let path = NSTemporaryDirectory() + "sha-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        for size in [0, 1, (1 << 20) - 1, 1 << 20, (5 << 19) + 7] {
            let content = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(content)))
            XCTAssertEqual(try SHA256.hash(fileAt: path), SHA256.hash(content), "\(size) bytes")
            if size > 10 {
                XCTAssertEqual(try SHA256.hash(fileAt: path, offset: 3, length: UInt64(size - 10)),
                               SHA256.hash(content[3..<(size - 7)]), "\(size) bytes, a range")
            }
        }
    }
}

final class HMACTests: XCTestCase {
    // RFC 4231 test cases 1, 2, 3, 4, 6 and 7 (case 5 is truncated output).
    func testRFC4231() {
        let cases: [(key: [UInt8], data: [UInt8], mac: String)] = [
            ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
             "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
             "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
            (Array(1...25), [UInt8](repeating: 0xcd, count: 50),
             "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
            ([UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
             "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
            ([UInt8](repeating: 0xaa, count: 131),
             Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
             "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
        ]
        for (key, data, mac) in cases {
            XCTAssertEqual(Hex.encode(HMAC.sha256(key: key, message: data)), mac)
        }
    }

    // RFC 2202 test cases 1 and 2 for HMAC-SHA1.
    func testRFC2202SHA1() {
        XCTAssertEqual(Hex.encode(HMAC.sha1(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))),
                       "b617318655057264e28bc0b6fb378c8ef146be00")
        XCTAssertEqual(Hex.encode(HMAC.sha1(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))),
                       "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }

    // RFC 2202 test case 6: a key longer than the block is hashed first.
    func testRFC2202SHA1LongKey() {
        XCTAssertEqual(Hex.encode(HMAC.sha1(key: [UInt8](repeating: 0xAA, count: 80),
                                            message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))),
                       "aa4ae5e15272d00e95705637ce8a3b55ed402112")
    }

    func testEmptyKeyAndMessage() {
        XCTAssertEqual(Hex.encode(HMAC.sha256(key: [UInt8](), message: [UInt8]())),
                       "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }
}

final class EncodingTests: XCTestCase {
    func testHex() {
        XCTAssertEqual(Hex.encode([0x00, 0xff, 0x10, 0xab]), "00ff10ab")
        XCTAssertEqual(Hex.decode("00FF10ab"), [0x00, 0xff, 0x10, 0xab])
        XCTAssertNil(Hex.decode("abc"))
        XCTAssertNil(Hex.decode("zz"))
    }

    // RFC 4648 §10 vectors.
    func testBase64() {
        let vectors = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
                       ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")]
        for (plain, encoded) in vectors {
            XCTAssertEqual(Base64.encode(Array(plain.utf8)), encoded)
            XCTAssertEqual(Base64.decode(encoded), Array(plain.utf8))
        }
        XCTAssertNil(Base64.decode("a"))
        XCTAssertNil(Base64.decode("ab!d"))
    }

    func testBase64URLAgainstFoundation() {
        for length in 0..<70 {
            let bytes = SecureRandom.bytes(count: length)
            let standard = Data(bytes).base64EncodedString()
            XCTAssertEqual(Base64.encode(bytes), standard)
            let url = standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            XCTAssertEqual(Base64.encodeURL(bytes), url)
            XCTAssertEqual(Base64.decodeURL(url), bytes)
        }
    }

    func testConstantTimeEquals() {
        XCTAssertTrue(ConstantTime.equals("abc", "abc"))
        XCTAssertFalse(ConstantTime.equals("abc", "abd"))
        XCTAssertFalse(ConstantTime.equals("abc", "abcd"))
        XCTAssertTrue(ConstantTime.equals("", ""))
        XCTAssertFalse(ConstantTime.equals("abc", ""), "an empty secret or token matches nothing but itself")
        XCTAssertFalse(ConstantTime.equals("", "abc"))
        XCTAssertFalse(ConstantTime.equals([UInt8](repeating: 0, count: 32), [UInt8](repeating: 0, count: 31)))
    }

    func testSecureRandom() {
        XCTAssertEqual(SecureRandom.bytes(count: 32).count, 32)
        XCTAssertNotEqual(SecureRandom.bytes(count: 16), SecureRandom.bytes(count: 16))
        XCTAssertEqual(SecureRandom.hexString(byteCount: 8).count, 16)
    }
}

final class MD5Tests: XCTestCase {
    // RFC 1321 §A.5.
    func testRFC1321() {
        XCTAssertEqual(Hex.encode(MD5.hash([UInt8]())), "d41d8cd98f00b204e9800998ecf8427e")
        XCTAssertEqual(Hex.encode(MD5.hash(Array("abc".utf8))), "900150983cd24fb0d6963f7d28e17f72")
        XCTAssertEqual(Hex.encode(MD5.hash(Array("message digest".utf8))), "f96b697d7cb7938d525a2f31aaf161d0")
    }
}
