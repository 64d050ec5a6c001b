import CFastCGI
import Foundation
import Logging

/// The FastCGI accept loop: the one place that calls libfcgi.
///
/// Several threads take turns accepting on the listening socket that supervisord
/// hands the process as fd 0; each then serves its request on its own. On SIGTERM
/// or SIGINT the process stops accepting, finishes the requests in flight, and
/// returns from `run`: connections still queued in the socket's backlog are left
/// to the other processes of the same program, so a restart drops nothing.
public final class FastCGIServer: @unchecked Sendable {
    // @unchecked: configuration is immutable; `stopping` is guarded by `stateLock`,
    // accepting by `acceptLock`, and each thread owns its own FCGX_Request.
    public typealias Handler = @Sendable (Request) -> Response

    private let listenDescriptor: Int32
    private let threadCount: Int
    private let maxBodyBytes: Int
    private let logger: Logger
    private let acceptLock = NSLock()
    private let stateLock = NSCondition()
    private var stopping = false
    private var runningThreads = 0
    private let wakeRead: Int32
    private let wakeWrite: Int32

    public init(listenDescriptor: Int32, threads: Int, maxBodyBytes: Int, logger: Logger) throws {
        guard FCGX_Init() == 0 else { throw FastCGIError.initialization("FCGX_Init failed") }
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            throw FastCGIError.initialization("pipe: \(String(cString: strerror(errno)))")
        }
        for end in pipeEnds {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, O_NONBLOCK)
        }
        // The listening socket is shared with the program's other processes (all of
        // them ours). Non-blocking, so a thread that loses the race for a connection
        // gets EAGAIN and goes back to poll() instead of hanging in accept().
        let flags = fcntl(listenDescriptor, F_GETFL)
        _ = fcntl(listenDescriptor, F_SETFL, flags | O_NONBLOCK)
        self.listenDescriptor = listenDescriptor
        self.threadCount = threads
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
        self.wakeRead = pipeEnds[0]
        self.wakeWrite = pipeEnds[1]
    }

    /// The socket to serve: fd 0 when it is a listening socket (supervisord's
    /// fcgi-program), otherwise a socket opened at `FCGI_SOCKET_PATH`.
    public static func listeningSocket(environment: Environment) throws -> Int32 {
        var accepting: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0, accepting == 1 {
            return 0
        }
        guard let path = environment["FCGI_SOCKET_PATH"] else {
            throw FastCGIError.noSocket
        }
        let descriptor = FCGX_OpenSocket(path, 1024)
        guard descriptor >= 0 else { throw FastCGIError.initialization("cannot listen on \(path)") }
        return descriptor
    }

    /// Serves until SIGTERM or SIGINT, then returns once in-flight requests are done
    /// (or `gracePeriod` has passed).
    public func run(gracePeriod: Double = 8, _ handler: @escaping Handler) {
        let stopSignals = StopSignals.block()

        stateLock.lock()
        runningThreads = threadCount
        stateLock.unlock()
        for index in 0..<threadCount {
            let thread = Thread { [self] in
                serveLoop(handler)
                stateLock.lock()
                runningThreads -= 1
                stateLock.broadcast()
                stateLock.unlock()
            }
            thread.name = "fcgi-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }

        let received = stopSignals.wait()
        logger.info("stopping", metadata: ["signal": "\(received)"])
        stateLock.lock()
        stopping = true
        stateLock.unlock()
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)

        let deadline = Date().addingTimeInterval(gracePeriod)
        stateLock.lock()
        while runningThreads > 0 && stateLock.wait(until: deadline) {}
        let left = runningThreads
        stateLock.unlock()
        if left > 0 {
            logger.warning("stopped with requests still running", metadata: ["threads": "\(left)"])
        } else {
            logger.info("stopped")
        }
    }

    private var isStopping: Bool {
        stateLock.lock()
        defer { stateLock.unlock() }
        return stopping
    }

    private func serveLoop(_ handler: Handler) {
        let request = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
        defer { request.deallocate() }
        FCGX_InitRequest(request, listenDescriptor, 0)
        while acceptNext(request) {
            var exchange = FastCGIExchange(request: request, maxBodyBytes: maxBodyBytes)
            let response = exchange.readRequest().map(handler)
                ?? exchange.rejection ?? .error(.badRequest("unreadable request"))
            exchange.respond(with: response)
            FCGX_Finish_r(request)
        }
    }

    /// Waits for the next connection; false when the process is stopping.
    private func acceptNext(_ request: UnsafeMutablePointer<FCGX_Request>) -> Bool {
        acceptLock.lock()
        defer { acceptLock.unlock() }
        while !isStopping {
            var fds = [pollfd(fd: listenDescriptor, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 2, -1) < 0 {
                if errno == EINTR { continue }
                logger.error("poll failed", metadata: ["errno": "\(errno)"])
                return false
            }
            if fds[1].revents != 0 { return false }
            let result = FCGX_Accept_r(request)
            if result >= 0 { return true }
            if result == -EAGAIN || result == -EWOULDBLOCK || result == -EINTR { continue }
            logger.error("accept failed", metadata: ["errno": "\(-result)"])
            // For example EMFILE: back off instead of spinning.
            usleep(10_000)
        }
        return false
    }
}

public enum FastCGIError: Error, CustomStringConvertible {
    case initialization(String)
    case noSocket

    public var description: String {
        switch self {
        case .initialization(let reason): return "FastCGI start failed: \(reason)"
        case .noSocket:
            return "no FastCGI socket: run under supervisord (fcgi-program) or set FCGI_SOCKET_PATH"
        }
    }
}
