import Logging

extension LogLevel {
    var swiftLogLevel: Logger.Level {
        Logger.Level(rawValue: rawValue) ?? .info
    }
}

/// Installs the JSON handler for this process; call once at start.
public func bootstrapLogging(endpoint: String, level: LogLevel) {
    LoggingSystem.bootstrap { _ in JSONLogHandler(endpoint: endpoint, level: level.swiftLogLevel) }
}
