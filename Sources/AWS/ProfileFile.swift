import Foundation

/// The shared `~/.aws/credentials` and `~/.aws/config` files, as INI sections.
///
/// In the config file profiles are `[profile name]` (except `[default]`); in the
/// credentials file they are `[name]`. Credentials-file values win.
struct ProfileFiles: Sendable {
    let sections: [String: [String: String]]

    init(environment: [String: String]) {
        let home = environment["HOME"].nonEmpty ?? NSHomeDirectory()
        let configPath = Self.expand(environment["AWS_CONFIG_FILE"].nonEmpty ?? "~/.aws/config", home: home)
        let credentialsPath = Self.expand(environment["AWS_SHARED_CREDENTIALS_FILE"].nonEmpty ?? "~/.aws/credentials", home: home)
        var merged: [String: [String: String]] = [:]
        if let text = try? String(contentsOfFile: configPath, encoding: .utf8) {
            for (section, values) in Self.parse(text) {
                let name: String
                if section == "default" { name = "default" }
                else if section.hasPrefix("profile ") { name = section.dropFirst(8).trimmingCharacters(in: .whitespaces) }
                else { continue }
                merged[name, default: [:]].merge(values) { $1 }
            }
        }
        if let text = try? String(contentsOfFile: credentialsPath, encoding: .utf8) {
            for (section, values) in Self.parse(text) {
                merged[section, default: [:]].merge(values) { $1 }
            }
        }
        sections = merged
    }

    init(sections: [String: [String: String]]) { self.sections = sections }

    func profile(_ name: String) -> [String: String]? { sections[name] }

    static func expand(_ path: String, home: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst(1) }
        return path
    }

    /// INI as the AWS CLI reads it: `#`/`;` comments, `key = value`, lowercase keys;
    /// indented lines belong to a nested sub-section (e.g. `s3 =`) and are skipped.
    static func parse(_ text: String) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else { current = nil; continue }
                let name = line[line.index(after: line.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                current = name
                if result[name] == nil { result[name] = [:] }
                continue
            }
            guard let section = current, rawLine.first != " ", rawLine.first != "\t",
                  let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if let comment = value.range(of: " #") ?? value.range(of: " ;") {
                value = value[..<comment.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            result[section]?[key] = value
        }
        return result
    }
}

/// Static keys of a named profile in the shared credentials/config files
/// (`AWS_PROFILE`, default `default`).
public struct ProfileCredentialProvider: CredentialProvider {
    let profileName: String
    let files: ProfileFiles

    /// Reads the files named by `environment` (`AWS_SHARED_CREDENTIALS_FILE`,
    /// `AWS_CONFIG_FILE`, `AWS_PROFILE`, `HOME`). The files are read once, here.
    public init(environment: [String: String]) {
        profileName = environment["AWS_PROFILE"].nonEmpty ?? environment["AWS_DEFAULT_PROFILE"].nonEmpty ?? "default"
        files = ProfileFiles(environment: environment)
    }

    public func credentials() throws -> AWSCredentials {
        guard let profile = files.profile(profileName) else {
            throw AWSCredentialsError(provider: "profile", reason: "profile '\(profileName)' not found in the shared files")
        }
        guard let id = profile["aws_access_key_id"].nonEmpty, let secret = profile["aws_secret_access_key"].nonEmpty else {
            throw AWSCredentialsError(provider: "profile", reason: "profile '\(profileName)' has no static keys")
        }
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: profile["aws_session_token"].nonEmpty)
    }
}
