import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The libcurl easy handle of the calling thread.
///
/// Each thread keeps one handle for its lifetime: a handle caches its connections,
/// so consecutive requests from one thread to one host reuse the TCP/TLS connection,
/// and no lock is taken on the request path. The handle is cleaned up when the
/// thread exits.
enum CurlHandle {
    /// `curl_global_init` must run once before any handle exists; a static `let`
    /// runs it exactly once, whichever thread gets here first.
    private static let globalInit: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { handle in
            if let handle { curl_easy_cleanup(handle) }
        }
        precondition(status == 0, "pthread_key_create failed: \(status)")
        return key
    }()

    /// The handle of the current thread, created on first use. Options are reset
    /// (connections kept) so the caller starts from defaults.
    static func current() throws(HTTPClientError) -> UnsafeMutableRawPointer {
        guard globalInit else {
            throw HTTPClientError(kind: .transport, message: "curl_global_init failed")
        }
        if let existing = pthread_getspecific(key) {
            curl_easy_reset(existing)
            return existing
        }
        guard let handle = curl_easy_init() else {
            throw HTTPClientError(kind: .transport, message: "curl_easy_init failed")
        }
        pthread_setspecific(key, handle)
        return handle
    }
}
