/// A path with named parameters, like `/agents/{agent_id}`: literal segments
/// must be equal, a `{name}` segment takes any one non-empty segment (percent-decoded).
public struct PathPattern: Sendable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    let segments: [Segment]
    public let description: String

    /// The names of its `{name}` segments, in order.
    public var parameterNames: [String] {
        segments.compactMap { segment in
            if case .parameter(let name) = segment { return name }
            return nil
        }
    }

    public init(_ pattern: String) {
        description = pattern
        segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map { part in
            if part.hasPrefix("{"), part.hasSuffix("}") {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
    }

    /// The parameters when `path` (already split on `/`, each part raw) matches.
    func match(_ parts: [Substring]) -> PathParameters? {
        guard parts.count == segments.count else { return nil }
        var values: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let text):
                guard part == text else { return nil }
            case .parameter(let name):
                guard let decoded = PercentDecoding.decode(part.utf8, plusIsSpace: false), !decoded.isEmpty else { return nil }
                values[name] = decoded
            }
        }
        return PathParameters(values)
    }
}

/// The values of a matched path's `{name}` segments.
public struct PathParameters: Sendable {
    private let values: [String: String]

    init(_ values: [String: String]) {
        self.values = values
    }

    /// The value of parameter `name`; routes only ask for names their pattern has.
    public subscript(_ name: String) -> String {
        guard let value = values[name] else { preconditionFailure("no path parameter named \(name)") }
        return value
    }

    /// The value of parameter `name`, nil when the route's pattern has none.
    public func value(_ name: String) -> String? {
        values[name]
    }
}
