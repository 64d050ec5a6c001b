import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 (port chosen by the kernel) for tests: one
/// thread per connection, one request per connection (`Connection: close`), or
/// with `keepAlive` one request after another on each connection.
public final class TestHTTPServer: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String
        public var target: String
        public var headers: [String: String]
        public var body: [UInt8]
        public var receivedAt: ContinuousClock.Instant

        public var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)] = []
        public var body: [UInt8] = []
        /// When set, the server never answers (to provoke client timeouts).
        public var hang = false

        public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = [], hang: Bool = false) {
            self.status = status
            self.headers = headers
            self.body = body
            self.hang = hang
        }

        public static func json(_ status: Int, _ text: String) -> Response {
            Response(status: status, headers: [("Content-Type", "application/x-amz-json-1.0")], body: Array(text.utf8))
        }
    }

    public let port: Int
    private let listener: Int32
    private let handler: @Sendable (Request, Int) -> Response
    private let keepAlive: Bool
    private let lock = NSLock()
    private var log: [Request] = []
    private var accepted = 0
    private let hangRelease = DispatchSemaphore(value: 0)
    private let acceptLoopEnded = DispatchSemaphore(value: 0)
    private var stopped = false

    /// `handler` gets each request and its 0-based index.
    public init(keepAlive: Bool = false, handler: @escaping @Sendable (Request, Int) -> Response) throws {
        self.handler = handler
        self.keepAlive = keepAlive
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        self.listener = listener
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        self.port = port
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public var requests: [Request] { lock.withLock { log } }

    /// Connections accepted so far.
    public var connections: Int { lock.withLock { accepted } }

    /// Closes the listener only after the accept loop has ended: closed earlier, its
    /// descriptor number can go to the next test's server while this loop's thread
    /// (not yet scheduled) still calls accept() on it, and serves that server's
    /// requests with this server's handler.
    public func stop() {
        lock.withLock { stopped = true }
        for _ in 0..<16 { hangRelease.signal() }
        shutdown(listener, Int32(SHUT_RDWR))
        acceptLoopEnded.wait()
        close(listener)
    }

    private func acceptLoop() {
        defer { acceptLoopEnded.signal() }
        while !lock.withLock({ stopped }) {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            lock.withLock { accepted += 1 }
            let thread = Thread { [self] in serve(connection) }
            thread.start()
        }
    }

    /// What has been read from one connection and not yet taken as a request.
    private final class ConnectionReader {
        let fd: Int32
        var buffer: [UInt8] = []
        private var chunk = [UInt8](repeating: 0, count: 65_536)

        init(fd: Int32) { self.fd = fd }

        func fill() -> Bool {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { return false }
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        let reader = ConnectionReader(fd: fd)
        while serveOne(reader), keepAlive {}
    }

    /// Reads one request, answers it, and drops its bytes from the reader's
    /// buffer; false when the connection ended or failed.
    private func serveOne(_ reader: ConnectionReader) -> Bool {
        let fd = reader.fd
        let separator: [UInt8] = [13, 10, 13, 10]
        var headerEnd: Int?
        while headerEnd == nil {
            if let range = reader.buffer.firstRange(of: separator) { headerEnd = range.lowerBound; break }
            guard reader.fill() else { return false }
        }
        let head = String(decoding: reader.buffer[0..<headerEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = headerEnd! + 4
        while reader.buffer.count < bodyStart + length {
            guard reader.fill() else { return false }
        }
        let request = Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers,
                              body: Array(reader.buffer[bodyStart..<bodyStart + length]), receivedAt: .now)
        let index: Int = lock.withLock {
            log.append(request)
            return log.count - 1
        }
        let response = handler(request, index)
        reader.buffer.removeFirst(bodyStart + length)
        if response.hang {
            hangRelease.wait()
            return false
        }
        var text = "HTTP/1.1 \(response.status) Status\r\nContent-Length: \(response.body.count)\r\n"
        if !keepAlive { text += "Connection: close\r\n" }
        for (name, value) in response.headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        let bytes = Array(text.utf8) + (request.method == "HEAD" ? [] : response.body)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }
}
