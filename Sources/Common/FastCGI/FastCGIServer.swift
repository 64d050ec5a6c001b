import CFastCGI
import Foundation
import Logging

/// The FastCGI serving loop: the one place that calls libfcgi.
///
/// nginx keeps its connections to an endpoint open between requests
/// (`fastcgi_keep_conn`). All threads of a process wait on one epoll instance
/// that holds the listening socket supervisord hands the process as fd 0
/// (exclusive across the program's processes) and every kept connection of the
/// process (one-shot), so any idle thread serves whichever request comes next:
/// a new connection or the next request on a kept one. A thread never sits on an
/// idle connection.
///
/// On SIGTERM or SIGINT the process stops accepting connections, which stay in
/// the socket's backlog for the program's other processes, and goes on serving
/// the requests nginx sends on the connections it keeps until nginx closes them
/// (after the upstream's `keepalive_timeout` idle, or `keepalive_time`): closing
/// a kept connection from this side could cross a request nginx is sending on
/// it. Then `run` returns, or after `gracePeriod` at the latest.
public final class FastCGIServer: @unchecked Sendable {
    // @unchecked: configuration is immutable; `stopping` and `openConnections`
    // are guarded by `stateLock`; each thread owns its FCGX_Request, and a
    // connection belongs to the one thread the poller woke for it.
    public typealias Handler = @Sendable (Request) -> Response

    private let listenDescriptor: Int32
    private let threadCount: Int
    private let maxBodyBytes: Int
    private let logger: Logger
    private let stateLock = NSCondition()
    private var stopping = false
    private var openConnections = 0
    private var runningThreads = 0
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private var poller: Int32 = -1
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
        // gets EAGAIN and waits again instead of hanging in accept().
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

    /// Serves until SIGTERM or SIGINT, then returns once the connections nginx
    /// kept are closed and their requests done (or `gracePeriod` has passed).
    public func run(gracePeriod: Double = 8, _ handler: @escaping Handler) {
        let stopSignals = StopSignals.block()
        poller = voice_fcgi_poller_create(listenDescriptor, wakeRead)
        guard poller >= 0 else {
            logger.error("cannot wait for connections", metadata: ["errno": "\(errno)"])
            return
        }

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
        stateLock.lock()
        stopping = true
        _ = voice_fcgi_poller_forget(poller, listenDescriptor)
        let kept = openConnections
        if kept == 0 { wakeAllThreads() }
        stateLock.unlock()
        logger.info("stopping", metadata: ["signal": "\(received)", "kept_connections": "\(kept)"])

        let deadline = Date().addingTimeInterval(gracePeriod)
        stateLock.lock()
        while runningThreads > 0 && stateLock.wait(until: deadline) {}
        let left = openConnections
        stateLock.unlock()
        if left > 0 {
            logger.warning("stopped with connections still open", metadata: ["connections": "\(left)"])
        } else {
            logger.info("stopped")
        }
    }

    private func serveLoop(_ handler: Handler) {
        let request = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
        defer { request.deallocate() }
        // No listening socket for libfcgi: it must never accept on its own (it
        // would when a kept connection turns out closed), only read the
        // connection it is given.
        FCGX_InitRequest(request, -1, 0)
        while let (connection, watched) = nextConnection() {
            // libfcgi reads the request from a connection it already holds when
            // told to keep it; the request's own flags then decide its close.
            request.pointee.ipcFd = connection
            request.pointee.keepConnection = 1
            request.pointee.detached = closesPlainly ? 1 : 0
            guard FCGX_Accept_r(request) >= 0 else {
                // nginx closed the connection (an idle one, at its keepalive
                // timeout) or sent no whole request; libfcgi has closed it.
                connectionClosed()
                continue
            }
            var exchange = FastCGIExchange(request: request, maxBodyBytes: maxBodyBytes)
            let response = exchange.readRequest().map(handler)
                ?? exchange.rejection ?? .error(.badRequest("unreadable request"))
            defer { response.afterSent?() }
            exchange.respond(with: response)
            // The next request on a kept connection must start at its first
            // record: whatever is left of this one's body is read and dropped.
            if request.pointee.keepConnection != 0 { exchange.discardInput() }
            if closesPlainly {
                // libfcgi would shut the socket down and wait for nginx to close
                // first (a lingering close, for TCP); on a unix socket the answer
                // is read whole after a plain close.
                request.pointee.detached = 1
            }
            FCGX_Finish_r(request)
            if request.pointee.ipcFd >= 0 {
                request.pointee.ipcFd = -1
                watchForNextRequest(connection, watched: watched)
            } else {
                connectionClosed()
            }
        }
    }

    /// The next connection with a request to read, and whether the poller knows
    /// it; nil when the process has stopped and holds no connection any more.
    private func nextConnection() -> (Int32, watched: Bool)? {
        while true {
            let ready = voice_fcgi_poller_wait(poller)
            if ready < 0 {
                if errno == EINTR { continue }
                logger.error("waiting for connections failed", metadata: ["errno": "\(errno)"])
                return nil
            }
            if ready == wakeRead {
                if isDone { return nil }
                continue
            }
            if ready != listenDescriptor { return (ready, true) }
            if let connection = acceptConnection() { return (connection, false) }
        }
    }

    /// A new connection, or nil when another thread took it or the process is
    /// stopping (the connection then waits in the backlog for another process).
    private func acceptConnection() -> Int32? {
        stateLock.lock()
        guard !stopping else {
            stateLock.unlock()
            return nil
        }
        let connection = voice_fcgi_accept(listenDescriptor)
        let failure = errno
        if connection >= 0 { openConnections += 1 }
        stateLock.unlock()
        if connection >= 0 { return connection }
        // Another thread took it (EAGAIN), or it was gone before we came.
        if failure == EAGAIN || failure == EWOULDBLOCK || failure == EINTR || failure == ECONNABORTED { return nil }
        logger.error("accept failed", metadata: ["errno": "\(failure)"])
        // For example EMFILE: back off instead of spinning.
        usleep(10_000)
        return nil
    }

    private func watchForNextRequest(_ connection: Int32, watched: Bool) {
        guard voice_fcgi_poller_watch(poller, connection, watched ? 1 : 0) == 0 else {
            logger.error("cannot watch a kept connection", metadata: ["errno": "\(errno)"])
            close(connection)
            connectionClosed()
            return
        }
    }

    private func connectionClosed() {
        stateLock.lock()
        openConnections -= 1
        if stopping && openConnections == 0 { wakeAllThreads() }
        stateLock.unlock()
    }

    /// Once stopping with no connection left, which cannot change: nothing is
    /// accepted any more.
    private var isDone: Bool {
        stateLock.lock()
        defer { stateLock.unlock() }
        return stopping && openConnections == 0
    }

    /// The stop pipe stays readable, so every thread waiting on the poller wakes
    /// and, seeing `isDone`, returns. Called with `stateLock` held, once.
    private func wakeAllThreads() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
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
