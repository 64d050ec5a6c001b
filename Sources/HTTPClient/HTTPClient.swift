import CCurl
import Logging

/// A synchronous HTTP/1.1 client on libcurl for multi-threaded processes.
///
/// Requests run on the calling thread with that thread's own curl handle, so
/// connections are reused per thread and host and no lock is on the request path.
/// TLS peers are always verified. Safe to share between threads.
public final class HTTPClient: Sendable {
    /// A client for callers with no logger of their own.
    public static let shared = HTTPClient(logger: Logger(label: "http-client"))

    private let logger: Logger

    /// Creates a client that logs each exchange at debug level (method, host, path,
    /// status, bytes, duration; never header values or query strings).
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Performs `request` and returns the final response, whatever its status.
    ///
    /// Throws only when no response arrived: timeout, network failure, local file
    /// problem or a malformed request.
    public func execute(
        _ request: HTTPRequest, responseBodyTo destination: HTTPResponseDestination = .memory
    ) throws(HTTPClientError) -> HTTPResponse {
        let start = ContinuousClock.now
        let handle = try CurlHandle.current()
        let transfer = try Transfer(handle: handle, body: request.body, destination: destination)
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }
        // curl adds `Expect: 100-continue` to larger uploads, costing a round trip;
        // AWS answers promptly either way.
        for line in request.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            guard let appended = curl_slist_append(headerList, line) else {
                throw HTTPClientError(kind: .invalidRequest, message: "cannot build the header list")
            }
            headerList = appended
        }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
            let userdata = Unmanaged.passUnretained(transfer).toOpaque()
            var setup = CURLE_OK
            func set(_ result: CURLcode) { if setup == CURLE_OK { setup = result } }

            set(voice_curl_setopt_string(handle, CURLOPT_URL, request.url))
            set(voice_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorPointer.baseAddress))
            // Signals cannot be used for timeouts in a multi-threaded process.
            set(voice_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
            set(voice_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
            set(voice_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
            set(voice_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1))
            set(voice_curl_setopt_long(handle, CURLOPT_TCP_NODELAY, 1))
            set(voice_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout)))
            set(voice_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout)))
            set(voice_curl_setopt_long(handle, CURLOPT_PROTOCOLS, Int(CURLPROTO_HTTP | CURLPROTO_HTTPS)))
            set(voice_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))

            set(voice_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, userdata))
            set(voice_curl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, userdata in
                let transfer = Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue()
                let length = size * count
                data!.withMemoryRebound(to: UInt8.self, capacity: length) {
                    transfer.receiveHeaderLine(UnsafeBufferPointer(start: $0, count: length))
                }
                return length
            })
            set(voice_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, userdata))
            set(voice_curl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, userdata in
                let transfer = Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue()
                let length = size * count
                // Returning less than `length` makes libcurl stop with CURLE_WRITE_ERROR.
                return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
            })

            let method = request.method.uppercased()
            if method == "HEAD" {
                set(voice_curl_setopt_long(handle, CURLOPT_NOBODY, 1))
            } else if method == "GET", request.body.length == 0 {
                set(voice_curl_setopt_long(handle, CURLOPT_HTTPGET, 1))
            } else if request.body.length == 0, method != "POST", method != "PUT" {
                set(voice_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method))
            } else {
                // Upload mode for every method with a body: libcurl pulls the body through
                // the read callback (memory or file alike) with a Content-Length, and the
                // custom method string replaces PUT on the request line.
                set(voice_curl_setopt_long(handle, CURLOPT_UPLOAD, 1))
                set(voice_curl_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(request.body.length)))
                set(voice_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method))
                set(voice_curl_setopt_pointer(handle, CURLOPT_READDATA, userdata))
                set(voice_curl_setopt_data_callback(handle, CURLOPT_READFUNCTION) { buffer, size, count, userdata in
                    let transfer = Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue()
                    return transfer.readBody(into: buffer!, capacity: size * count) ?? Int(CURL_READFUNC_ABORT)
                })
                set(voice_curl_setopt_pointer(handle, CURLOPT_SEEKDATA, userdata))
                set(voice_curl_setopt_seek_callback(handle, CURLOPT_SEEKFUNCTION) { userdata, offset, origin in
                    let transfer = Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue()
                    guard origin == SEEK_SET, transfer.seekBody(to: Int64(offset)) else {
                        return CURL_SEEKFUNC_CANTSEEK
                    }
                    return CURL_SEEKFUNC_OK
                })
            }
            guard setup == CURLE_OK else { return setup }
            return curl_easy_perform(handle)
        }
        // The handle outlives this call: never leave it pointing at freed memory.
        _ = voice_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, nil)
        _ = voice_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, nil)

        let elapsed = ContinuousClock.now - start
        if code != CURLE_OK {
            let error = transfer.fileError
                ?? HTTPClientError(curlCode: code, detail: Self.text(errorBuffer))
            logger.debug("http request failed", metadata: logMetadata(request, elapsed: elapsed, extra: [
                "error": "\(error)",
            ]))
            throw error
        }
        var status = 0
        if voice_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK, status != 0 {
            transfer.status = status
        }
        try transfer.finishOutput()
        logger.debug("http request", metadata: logMetadata(request, elapsed: elapsed, extra: [
            "status": "\(transfer.status)", "bytes_in": "\(transfer.bodyLengthReceived)",
        ]))
        return HTTPResponse(
            status: transfer.status, headers: transfer.headers, body: transfer.body,
            bodyLength: transfer.bodyLengthReceived, bodyWrittenToFile: transfer.wroteToFile)
    }

    /// libcurl treats 0 as "no timeout", so anything positive rounds up to at least 1 ms.
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int(max(1, ms))
    }

    /// The text of a NUL-terminated C buffer.
    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private func logMetadata(_ request: HTTPRequest, elapsed: Duration, extra: Logger.Metadata) -> Logger.Metadata {
        // The query string can carry presigned credentials: log the path only.
        let withoutQuery = request.url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.url
        var metadata: Logger.Metadata = [
            "method": "\(request.method)",
            "url": "\(withoutQuery)",
            "bytes_out": "\(request.body.length)",
            "ms": "\(Self.milliseconds(elapsed))",
        ]
        metadata.merge(extra) { $1 }
        return metadata
    }
}
