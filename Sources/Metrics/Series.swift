/// One label of a series: `endpoint="process-speech"`.
public struct Label: Hashable, Sendable, Codable {
    public let name: String
    public let value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A metric name with its labels, in the order the code that records it gives
/// them (every process records a family's labels in the same order, so the
/// series of two processes are equal when their labels are).
public struct Series: Hashable, Sendable, Codable {
    public let name: String
    public let labels: [Label]

    public init(_ name: String, _ labels: [Label] = []) {
        self.name = name
        self.labels = labels
    }
}
