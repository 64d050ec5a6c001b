import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The state libcurl's callbacks read and write during one transfer.
///
/// Passed to the C callbacks through their userdata pointer, never captured, so the
/// callbacks stay plain C function pointers.
final class Transfer {
    let handle: UnsafeMutableRawPointer
    let destination: HTTPResponseDestination

    // Request body.
    private let bodyBytes: [UInt8]
    private let bodyFileDescriptor: Int32
    private let bodyFileOffset: UInt64
    private let bodyLength: UInt64
    private var bodyPosition: UInt64 = 0

    // Response.
    var status = 0
    var headers: [(name: String, value: String)] = []
    var body: [UInt8] = []
    var bodyLengthReceived: UInt64 = 0
    private var outputFileDescriptor: Int32 = -1
    private(set) var wroteToFile = false

    /// A local-file failure inside a callback; the callback returns an error code to
    /// libcurl and this says why.
    var fileError: HTTPClientError?

    init(handle: UnsafeMutableRawPointer, body: HTTPRequestBody, destination: HTTPResponseDestination) throws(HTTPClientError) {
        self.handle = handle
        self.destination = destination
        switch body {
        case .empty:
            bodyBytes = []
            bodyFileDescriptor = -1
            bodyFileOffset = 0
            bodyLength = 0
        case .bytes(let bytes):
            bodyBytes = bytes
            bodyFileDescriptor = -1
            bodyFileOffset = 0
            bodyLength = UInt64(bytes.count)
        case .file(let path, let offset, let length):
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw Transfer.fileError("cannot open \(path)") }
            bodyBytes = []
            bodyFileDescriptor = fd
            bodyFileOffset = offset
            bodyLength = length
        }
    }

    deinit {
        if bodyFileDescriptor >= 0 { close(bodyFileDescriptor) }
        if outputFileDescriptor >= 0 { close(outputFileDescriptor) }
    }

    static func fileError(_ what: String) -> HTTPClientError {
        HTTPClientError(kind: .localFile, message: "\(what): \(String(cString: strerror(errno)))")
    }

    // MARK: request body

    /// Copies up to `capacity` body bytes into `buffer`; returns how many, or nil on a read error.
    func readBody(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int? {
        let remaining = bodyLength - bodyPosition
        let count = Int(min(UInt64(capacity), remaining))
        guard count > 0 else { return 0 }
        if bodyFileDescriptor >= 0 {
            var got = -1
            repeat {
                got = pread(bodyFileDescriptor, buffer, count, off_t(bodyFileOffset + bodyPosition))
            } while got < 0 && errno == EINTR
            if got < 0 {
                fileError = Transfer.fileError("cannot read request body file")
                return nil
            }
            if got == 0 {
                fileError = HTTPClientError(kind: .localFile, message: "request body file is shorter than its declared length")
                return nil
            }
            bodyPosition += UInt64(got)
            return got
        }
        bodyBytes.withUnsafeBytes { source in
            UnsafeMutableRawPointer(buffer).copyMemory(
                from: source.baseAddress! + Int(bodyPosition), byteCount: count)
        }
        bodyPosition += UInt64(count)
        return count
    }

    /// Moves the body read position; libcurl rewinds when it resends on a fresh connection.
    func seekBody(to offset: Int64) -> Bool {
        guard offset >= 0, UInt64(offset) <= bodyLength else { return false }
        bodyPosition = UInt64(offset)
        return true
    }

    // MARK: response

    /// Records one header line; a status line starts a new response (after 1xx or a redirect).
    func receiveHeaderLine(_ bytes: UnsafeBufferPointer<UInt8>) {
        // Trim CR/LF as bytes: in a Swift String "\r\n" is one Character.
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0a || bytes[end - 1] == 0x0d { end -= 1 }
        let line = UnsafeBufferPointer(rebasing: bytes[0..<end])
        if line.starts(with: "HTTP/".utf8) {
            headers.removeAll(keepingCapacity: true)
            let parts = line.split(separator: UInt8(ascii: " "), maxSplits: 2)
            if parts.count >= 2, let code = Int(String(decoding: parts[1], as: UTF8.self)) { status = code }
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var valueStart = colon + 1
        var valueEnd = line.endIndex
        while valueStart < valueEnd, isSpace(line[valueStart]) { valueStart += 1 }
        while valueEnd > valueStart, isSpace(line[valueEnd - 1]) { valueEnd -= 1 }
        headers.append((name: String(decoding: line[..<colon], as: UTF8.self),
                        value: String(decoding: line[valueStart..<valueEnd], as: UTF8.self)))
    }

    /// Stores body bytes; returns false on a local write failure.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bodyLengthReceived += UInt64(bytes.count)
        guard case .file(let path) = destination, (200..<300).contains(currentStatus()) else {
            body.append(contentsOf: bytes)
            return true
        }
        if outputFileDescriptor < 0 {
            guard openOutput(path) else { return false }
        }
        var offset = 0
        while offset < bytes.count {
            let written = write(outputFileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                fileError = Transfer.fileError("cannot write \(path)")
                return false
            }
            offset += written
        }
        return true
    }

    /// Makes sure a 2xx response with an empty body still leaves the (empty) file.
    func finishOutput() throws(HTTPClientError) {
        if case .file(let path) = destination, (200..<300).contains(status), outputFileDescriptor < 0 {
            guard openOutput(path) else { throw fileError ?? Transfer.fileError("cannot create \(path)") }
        }
        if outputFileDescriptor >= 0 {
            let fd = outputFileDescriptor
            outputFileDescriptor = -1
            if close(fd) != 0 { throw Transfer.fileError("cannot close the response file") }
        }
    }

    private func openOutput(_ path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            fileError = Transfer.fileError("cannot create \(path)")
            return false
        }
        outputFileDescriptor = fd
        wroteToFile = true
        return true
    }

    /// The status as libcurl knows it at this moment: body callbacks can run before
    /// the header callback has seen every line, never before the status line.
    private func currentStatus() -> Int {
        var code = 0
        if voice_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK, code != 0 { return code }
        return status
    }
}
