import CCurl

extension HTTPClientError {
    /// The one place a `CURLcode` becomes a Swift error.
    ///
    /// `detail` is the text libcurl left in the error buffer, more specific than
    /// `curl_easy_strerror` (it names the host, the TLS failure, …).
    init(curlCode code: CURLcode, detail: String) {
        let summary = String(cString: curl_easy_strerror(code))
        let message = detail.isEmpty ? summary : "\(summary): \(detail)"
        let kind: Kind = switch code {
        case CURLE_OPERATION_TIMEDOUT:
            .timeout
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_BAD_FUNCTION_ARGUMENT,
             CURLE_UNKNOWN_OPTION, CURLE_NOT_BUILT_IN:
            .invalidRequest
        default:
            .transport
        }
        self.init(kind: kind, message: message, curlCode: Int(code.rawValue))
    }
}
