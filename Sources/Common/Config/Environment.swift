import Foundation

/// The merged settings a process runs with: `.env` in the working directory,
/// overridden by the process environment. Typed accessors validate each value
/// and name the variable when it is wrong.
public struct Environment: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String]) {
        self.values = values
    }

    /// Reads the file named by `ENV_FILE` (default `<directory>/.env`; absent is
    /// fine) under `processEnvironment`, which wins.
    public static func load(
        directory: String = FileManager.default.currentDirectoryPath,
        processEnvironment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Environment {
        let path = processEnvironment["ENV_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? directory + "/.env"
        var merged: [String: String] = [:]
        if FileManager.default.fileExists(atPath: path) {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigError.unreadable(path: path, reason: "\(error)")
            }
            do {
                merged = try DotEnv.parse(text)
            } catch let error as DotEnv.ParseError {
                throw ConfigError.unreadable(path: path, reason: error.description)
            }
        }
        merged.merge(processEnvironment) { _, process in process }
        return Environment(merged)
    }

    public subscript(name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    public func string(_ name: String, default fallback: String) -> String {
        self[name] ?? fallback
    }

    public func int(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = self[name] else { return fallback }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw ConfigError.invalid(variable: name, value: text,
                                      expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    public func bool(_ name: String, default fallback: Bool) throws -> Bool {
        guard let text = self[name] else { return fallback }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigError.invalid(variable: name, value: text, expected: "true or false")
        }
    }

    public func choice<T: RawRepresentable & CaseIterable>(_ name: String, default fallback: T) throws -> T
    where T.RawValue == String {
        guard let text = self[name] else { return fallback }
        guard let value = T(rawValue: text.lowercased()) else {
            let options = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigError.invalid(variable: name, value: text, expected: "one of \(options)")
        }
        return value
    }

    /// An absolute http(s) URL without a trailing slash.
    public func url(_ name: String, default fallback: String? = nil) throws -> String? {
        guard let text = self[name] ?? fallback else { return nil }
        guard let components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              components.host?.isEmpty == false
        else {
            throw ConfigError.invalid(variable: name, value: text, expected: "an absolute http:// or https:// URL")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}
