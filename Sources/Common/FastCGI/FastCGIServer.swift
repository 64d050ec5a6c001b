import CFastCGI
import Foundation
import Logging

/// The FastCGI accept loop: the one place that calls libfcgi.
///
/// Several threads wait on the listening socket that supervisord hands the
/// process as fd 0, each in its own epoll instance woken exclusively, so a
/// connection wakes one thread of all the program's processes; that thread
/// accepts it and serves its request on its own. On SIGTERM
/// or SIGINT the process stops accepting, finishes the requests in flight, and
/// returns from `run`: connections still queued in the socket's backlog are left
/// to the other processes of the same program, so a restart drops nothing.
public final class FastCGIServer: @unchecked Sendable {
    // @unchecked: configuration is immutable; `stopping` is guarded by `stateLock`,
    // and each thread owns its own FCGX_Request and epoll instance.
    public typealias Handler = @Sendable (Request) -> Response

    private let listenDescriptor: Int32
    private let threadCount: Int
    private let maxBodyBytes: Int
    private let logger: Logger
    private let stateLock = NSCondition()
    private var stopping = false
    private var runningThreads = 0
    private let wakeRead: Int32
    private let wakeWrite: Int32
    /// Whether connections may be closed without a lingering shutdown: true on
    /// a unix socket, where nothing written before the close is lost.
    private let closesPlainly: Bool

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
        // (an exclusive wake-up may still wake two) gets EAGAIN and waits again
        // instead of hanging in accept().
        let flags = fcntl(listenDescriptor, F_GETFL)
        _ = fcntl(listenDescriptor, F_SETFL, flags | O_NONBLOCK)
        self.listenDescriptor = listenDescriptor
        self.threadCount = threads
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
        self.wakeRead = pipeEnds[0]
        self.wakeWrite = pipeEnds[1]
        var address = sockaddr_storage()
        var addressLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listenDescriptor, $0, &addressLength) }
        }
        self.closesPlainly = named == 0 && Int32(address.ss_family) == AF_UNIX
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
        let waiter = voice_fcgi_waiter_create(listenDescriptor, wakeRead)
        guard waiter >= 0 else {
            logger.error("cannot wait for connections", metadata: ["errno": "\(errno)"])
            return
        }
        defer { close(waiter) }
        let request = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
        defer { request.deallocate() }
        FCGX_InitRequest(request, listenDescriptor, 0)
        var servedWhileStopping = false
        while acceptNext(request, waiter: waiter, servedWhileStopping: &servedWhileStopping) {
            var exchange = FastCGIExchange(request: request, maxBodyBytes: maxBodyBytes)
            let response = exchange.readRequest().map(handler)
                ?? exchange.rejection ?? .error(.badRequest("unreadable request"))
            exchange.respond(with: response)
            if closesPlainly {
                // libfcgi would shut the socket down and wait for nginx to close
                // first (a lingering close, for TCP); on a unix socket the answer
                // is read whole after a plain close, which saves three system
                // calls and a wake-up per request.
                request.pointee.detached = 1
            }
            FCGX_Finish_r(request)
        }
    }

    /// Waits for the next request; false when the process is stopping.
    ///
    /// A thread woken for a connection just as the process stops still serves
    /// that one connection: with exclusive wake-ups, no other thread (of this
    /// process or another) was told about it.
    private func acceptNext(_ request: UnsafeMutablePointer<FCGX_Request>, waiter: Int32,
                            servedWhileStopping: inout Bool) -> Bool {
        while true {
            let ready = voice_fcgi_waiter_wait(waiter, listenDescriptor)
            if ready < 0 {
                if errno == EINTR { continue }
                logger.error("waiting for connections failed", metadata: ["errno": "\(errno)"])
                return false
            }
            let stopping = ready & 2 != 0 || isStopping
            if stopping && (servedWhileStopping || ready & 1 == 0) { return false }
            let connection = accept(listenDescriptor, nil, nil)
            if connection < 0 {
                if stopping { return false }
                // Another thread took it (EAGAIN), or it was gone before we came.
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNABORTED { continue }
                logger.error("accept failed", metadata: ["errno": "\(errno)"])
                // For example EMFILE: back off instead of spinning.
                usleep(10_000)
                continue
            }
            servedWhileStopping = stopping
            // libfcgi reads the request from a connection it already holds when
            // told to keep it; the request's own flags then decide its close.
            request.pointee.ipcFd = connection
            request.pointee.keepConnection = 1
            request.pointee.detached = 0
            if FCGX_Accept_r(request) >= 0 { return true }
            // The connection closed before a whole request arrived; libfcgi has
            // closed it.
        }
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
