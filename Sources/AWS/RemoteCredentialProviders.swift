import Foundation
import HTTPClient

/// Temporary credentials from the ECS/EKS container endpoint
/// (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `AWS_CONTAINER_CREDENTIALS_FULL_URI`,
/// with `AWS_CONTAINER_AUTHORIZATION_TOKEN` or `…_TOKEN_FILE`).
public struct ContainerCredentialProvider: CredentialProvider {
    let environment: [String: String]
    let http: HTTPClient
    /// The link-local host ECS serves relative URIs on.
    static let ecsHost = "http://169.254.170.2"

    /// Reads its settings from `environment`.
    public init(environment: [String: String], http: HTTPClient = .shared) {
        self.environment = environment
        self.http = http
    }

    public func credentials() throws -> AWSCredentials {
        let url: String
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"].nonEmpty {
            url = Self.ecsHost + (relative.hasPrefix("/") ? relative : "/" + relative)
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"].nonEmpty {
            guard Self.isAllowed(fullURI: full) else {
                throw AWSCredentialsError(provider: "container", reason: "full URI must be https or a loopback/container host")
            }
            url = full
        } else {
            throw AWSCredentialsError(provider: "container", reason: "no container credentials URI set")
        }
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if let tokenFile = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"].nonEmpty {
            guard let token = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                throw AWSCredentialsError(provider: "container", reason: "cannot read the authorization token file")
            }
            headers.append(("Authorization", token.trimmingCharacters(in: .whitespacesAndNewlines)))
        } else if let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"].nonEmpty {
            headers.append(("Authorization", token))
        }
        let response: HTTPResponse
        do {
            response = try http.execute(HTTPRequest(method: "GET", url: url, headers: headers,
                                                    connectTimeout: .seconds(1), timeout: .seconds(2)))
        } catch {
            throw AWSCredentialsError(provider: "container", reason: "endpoint unreachable: \(error)")
        }
        guard response.isSuccess else {
            throw AWSCredentialsError(provider: "container", reason: "endpoint answered HTTP \(response.status)")
        }
        return try TemporaryCredentialsDocument.parse(response.body, provider: "container")
    }

    /// SDKs accept https anywhere, plain http only to loopback or the ECS/EKS hosts.
    static func isAllowed(fullURI: String) -> Bool {
        guard let parts = try? URLParts(fullURI) else { return false }
        if parts.scheme == "https" { return true }
        return parts.host == "localhost" || parts.host.hasPrefix("127.") || parts.host == "[::1]"
            || parts.host == "169.254.170.2" || parts.host == "169.254.170.23" || parts.host == "[fd00:ec2::23]"
    }
}

/// Temporary credentials of the instance role from EC2's metadata service, IMDSv2:
/// a session token by `PUT`, then the role name, then its credentials.
public struct InstanceMetadataCredentialProvider: CredentialProvider {
    let endpoint: String
    let disabled: Bool
    let http: HTTPClient

    /// Endpoint from `AWS_EC2_METADATA_SERVICE_ENDPOINT` (default
    /// `http://169.254.169.254`); `AWS_EC2_METADATA_DISABLED=true` turns it off.
    public init(environment: [String: String], http: HTTPClient = .shared) {
        var endpoint = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"].nonEmpty ?? "http://169.254.169.254"
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
        disabled = environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true"
        self.http = http
    }

    public func credentials() throws -> AWSCredentials {
        guard !disabled else {
            throw AWSCredentialsError(provider: "imds", reason: "disabled by AWS_EC2_METADATA_DISABLED")
        }
        // Off EC2 the address does not answer: short timeouts keep the chain quick.
        func call(_ method: String, _ path: String, _ headers: [(name: String, value: String)]) throws -> String {
            let response: HTTPResponse
            do {
                response = try http.execute(HTTPRequest(method: method, url: endpoint + path, headers: headers,
                                                        connectTimeout: .seconds(1), timeout: .seconds(1)))
            } catch {
                throw AWSCredentialsError(provider: "imds", reason: "metadata service unreachable: \(error)")
            }
            guard response.isSuccess else {
                throw AWSCredentialsError(provider: "imds", reason: "\(path) answered HTTP \(response.status)")
            }
            return String(decoding: response.body, as: UTF8.self)
        }
        let token = try call("PUT", "/latest/api/token", [("X-aws-ec2-metadata-token-ttl-seconds", "21600")])
        let tokenHeader = [(name: "X-aws-ec2-metadata-token", value: token)]
        let roles = try call("GET", "/latest/meta-data/iam/security-credentials/", tokenHeader)
        guard let role = roles.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty else {
            throw AWSCredentialsError(provider: "imds", reason: "the instance has no IAM role")
        }
        let document = try call("GET", "/latest/meta-data/iam/security-credentials/\(URIEncoding.encode(role))", tokenHeader)
        return try TemporaryCredentialsDocument.parse(Array(document.utf8), provider: "imds")
    }
}

/// The JSON both the container endpoint and IMDS return:
/// `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}`.
enum TemporaryCredentialsDocument {
    static func parse(_ body: [UInt8], provider: String) throws -> AWSCredentials {
        guard let json = try? JSON.parse(body),
              let id = json["AccessKeyId"]?.string, let secret = json["SecretAccessKey"]?.string else {
            throw AWSCredentialsError(provider: provider, reason: "malformed credentials document")
        }
        if let code = json["Code"]?.string, code != "Success" {
            throw AWSCredentialsError(provider: provider, reason: "credentials endpoint reported \(code)")
        }
        let expiration = json["Expiration"]?.string.flatMap(AMZDate.parseISO8601)
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: json["Token"]?.string,
                              expiration: expiration)
    }
}
