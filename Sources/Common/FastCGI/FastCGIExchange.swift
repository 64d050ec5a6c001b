import CFastCGI
import Foundation

/// Reads one accepted FastCGI request into a `Request` and writes a `Response` back.
struct FastCGIExchange {
    private let request: UnsafeMutablePointer<FCGX_Request>
    private let maxBodyBytes: Int
    /// Set when `readRequest` refuses the request: the answer to send instead.
    private(set) var rejection: Response?

    init(request: UnsafeMutablePointer<FCGX_Request>, maxBodyBytes: Int) {
        self.request = request
        self.maxBodyBytes = maxBodyBytes
    }

    /// The request, or nil with `rejection` set (a body over the limit, a short body).
    mutating func readRequest() -> Request? {
        let params = parameters()
        var headers: [String: String] = [:]
        for (name, value) in params where name.hasPrefix("HTTP_") {
            headers[Self.headerName(cgiName: name)] = value
        }
        if let type = params["CONTENT_TYPE"], !type.isEmpty { headers["content-type"] = type }
        if let length = params["CONTENT_LENGTH"], !length.isEmpty { headers["content-length"] = length }

        let uri = params["REQUEST_URI"] ?? params["DOCUMENT_URI"] ?? "/"
        let rawPath = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "/"

        let body: [UInt8]
        if let declared = params["CONTENT_LENGTH"].flatMap({ Int($0) }) {
            if declared > maxBodyBytes {
                discardInput()
                rejection = .error(.payloadTooLarge(limit: maxBodyBytes))
                return nil
            }
            body = readInput(upTo: declared)
            if body.count < declared {
                rejection = .error(.badRequest("the body ended after \(body.count) of \(declared) bytes"))
                return nil
            }
        } else {
            body = readInput(upTo: maxBodyBytes + 1)
            if body.count > maxBodyBytes {
                discardInput()
                rejection = .error(.payloadTooLarge(limit: maxBodyBytes))
                return nil
            }
        }
        return Request(
            method: params["REQUEST_METHOD"] ?? "GET",
            rawPath: rawPath,
            rawQuery: params["QUERY_STRING"] ?? "",
            headers: headers,
            body: body,
            requestID: params["REQUEST_ID"] ?? "",
            receivedAt: params["REQUEST_START"].flatMap(Double.init)
        )
    }

    func respond(with response: Response) {
        var head = "Status: \(response.status) \(Response.reason(for: response.status))\r\n"
        var hasLength = false
        for (name, value) in response.headers {
            head += "\(name): \(Self.singleLine(value))\r\n"
            if name.lowercased() == "content-length" { hasLength = true }
        }
        if !hasLength { head += "Content-Length: \(response.body.count)\r\n" }
        head += "\r\n"
        let out = request.pointee.out
        var headBytes = Array(head.utf8)
        _ = headBytes.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { FCGX_PutStr($0.baseAddress, Int32($0.count), out) }
        }
        var remaining = response.body[...]
        while !remaining.isEmpty {
            let chunk = remaining.prefix(1 << 20)
            let written = chunk.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { FCGX_PutStr($0.baseAddress, Int32($0.count), out) }
            }
            if written < 0 { return }
            remaining = remaining.dropFirst(chunk.count)
        }
    }

    private func parameters() -> [String: String] {
        var params: [String: String] = [:]
        params.reserveCapacity(24)
        guard var entry = request.pointee.envp else { return params }
        while let pointer = entry.pointee {
            let pair = UnsafeRawBufferPointer(start: pointer, count: strlen(pointer))
            if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
                let name = String(decoding: pair[..<equals], as: UTF8.self)
                if name.hasPrefix("HTTP_") || Self.parametersRead.contains(name) {
                    params[name] = String(decoding: pair[(equals + 1)...], as: UTF8.self)
                }
            }
            entry += 1
        }
        return params
    }

    /// What `readRequest` uses besides the `HTTP_` headers; nginx sends more.
    static let parametersRead: Set<String> = [
        "CONTENT_TYPE", "CONTENT_LENGTH", "REQUEST_URI", "DOCUMENT_URI", "REQUEST_METHOD", "QUERY_STRING",
        "REQUEST_ID", "REQUEST_START",
    ]

    /// `HTTP_X_TWILIO_SIGNATURE` → `x-twilio-signature`.
    static func headerName(cgiName: String) -> String {
        String(decoding: cgiName.utf8.dropFirst(5).map { byte in
            switch byte {
            case UInt8(ascii: "_"): UInt8(ascii: "-")
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte + 32
            default: byte
            }
        }, as: UTF8.self)
    }

    /// A header value that cannot start a new header: CR and LF removed.
    static func singleLine(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 13 || $0 == 10 }) else { return value }
        return String(decoding: value.utf8.filter { $0 != 13 && $0 != 10 }, as: UTF8.self)
    }

    /// Reads up to `limit` bytes. The buffer grows with what arrives, so a
    /// request without a body costs no allocation of the whole limit.
    private func readInput(upTo limit: Int) -> [UInt8] {
        var body = [UInt8](repeating: 0, count: min(limit, 16 * 1024))
        var filled = 0
        while filled < limit {
            if filled == body.count { body.append(contentsOf: repeatElement(0, count: min(limit, body.count * 2) - body.count)) }
            let got = body.withUnsafeMutableBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) {
                    FCGX_GetStr($0.baseAddress! + filled, Int32(min(buffer.count - filled, Int(Int32.max))), request.pointee.in)
                }
            }
            if got <= 0 { break }
            filled += Int(got)
        }
        body.removeLast(body.count - filled)
        return body
    }

    /// Reads and drops the rest of the body, up to its end record, in small
    /// pieces, so an oversized body is never held in memory and nginx is not cut
    /// off mid-upload.
    func discardInput() {
        var scratch = [CChar](repeating: 0, count: 64 * 1024)
        while scratch.withUnsafeMutableBufferPointer({ FCGX_GetStr($0.baseAddress, Int32($0.count), request.pointee.in) }) > 0 {}
    }
}
