// swift-tools-version:6.0
import PackageDescription

/// The voice endpoints: one executable each, a few lines over VoiceService.
let voiceEndpoints = [
    "make-call", "voice-outbound", "voice-inbound", "process-speech", "call-status", "recording-status", "sessions",
    "agents", "phone-numbers", "calls", "analytics", "interrupt-call", "metrics",
]

/// The chat assistant's endpoints: one executable each, a few lines over RemoService.
let remoEndpoints: [String] = ["chat", "user-data", "user-reminders", "user-todos"]

let package = Package(
    name: "voice-assistant",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "health", targets: ["health"]),
        .executable(name: "voicectl", targets: ["voicectl"]),
        .executable(name: "worker", targets: ["worker"]),
    ] + (voiceEndpoints + remoEndpoints).map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // C libraries from Debian, each behind a three-line module map and a shim
        // of typed inline functions where the C API is variadic.
        .systemLibrary(name: "CFastCGI", path: "Sources/CFastCGI", pkgConfig: "fcgi",
                       providers: [.apt(["libfcgi-dev"])]),
        .systemLibrary(name: "CLMDB", path: "Sources/CLMDB", pkgConfig: "lmdb",
                       providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),

        // Thin Swift wrappers: nothing above them sees a C pointer.
        .target(name: "CryptoCore", dependencies: ["COpenSSL"]),
        .target(name: "HTTPClient", dependencies: [
            "CCurl", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "SessionDB", dependencies: ["CLMDB"]),
        // Counters and histograms in memory, and their Prometheus text; no dependencies.
        .target(name: "Metrics"),

        // The LLM client: OpenAI-compatible servers and Ollama, no knowledge of calls or chats.
        .target(name: "LLM", dependencies: [
            "HTTPClient", "Metrics", .product(name: "Logging", package: "swift-log"),
        ]),

        // Runtime every endpoint shares: config, logging, FastCGI, bodies.
        .target(name: "Common", dependencies: [
            "CFastCGI", "CryptoCore", "SessionDB", "LLM", "Metrics", .product(name: "Logging", package: "swift-log"),
        ]),

        // Clients.
        .target(name: "AWS", dependencies: [
            "CryptoCore", "HTTPClient", "Metrics", .product(name: "Logging", package: "swift-log"),
        ]),

        // Domain.
        .target(name: "Voice", dependencies: ["CryptoCore", "LLM"]),
        .target(name: "Remo", dependencies: ["CryptoCore", "LLM"]),

        // Services: the flows behind the endpoints, over the domain and the clients.
        .target(name: "VoiceService", dependencies: [
            "Common", "SessionDB", "AWS", "Voice", "LLM", "HTTPClient", "CryptoCore", "Metrics",
            .product(name: "Logging", package: "swift-log"),
        ]),

        .target(name: "RemoService", dependencies: [
            "Common", "SessionDB", "AWS", "Remo", "LLM", "CryptoCore",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Endpoints: one small executable each.
        .executableTarget(name: "health", dependencies: ["Common", "SessionDB", "LLM"],
                          path: "Sources/Handlers/health"),
    ] + voiceEndpoints.map { name in
        .executableTarget(name: name, dependencies: ["Common", "VoiceService"], path: "Sources/Handlers/\(name)")
    } + remoEndpoints.map { name in
        .executableTarget(name: name, dependencies: ["Common", "RemoService"], path: "Sources/Handlers/\(name)")
    } + [

        // The outbox worker.
        .executableTarget(name: "worker", dependencies: [
            "Common", "SessionDB", "AWS", "VoiceService", "LLM", "HTTPClient", .product(name: "Logging", package: "swift-log"),
        ]),

        // Operator CLI.
        .executableTarget(name: "voicectl", dependencies: [
            "Common", "SessionDB", "AWS", "Voice", "VoiceService", "RemoService", "LLM",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "CommonTests", dependencies: ["Common", "SessionDB", "Metrics"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics"]),
        .testTarget(name: "SessionDBTests", dependencies: ["SessionDB"]),
        .testTarget(name: "CryptoCoreTests", dependencies: ["CryptoCore"]),
        // A loopback HTTP server for the tests of the HTTP clients; never linked into the stack.
        .target(name: "TestSupport", dependencies: ["LLM"]),
        .testTarget(name: "AWSTests", dependencies: ["AWS", "HTTPClient", "CryptoCore", "TestSupport"]),
        .testTarget(name: "VoiceTests", dependencies: ["Voice", "LLM", "TestSupport"]),
        .testTarget(name: "LLMTests", dependencies: ["LLM", "HTTPClient", "TestSupport"]),
        .testTarget(name: "RemoTests", dependencies: ["Remo", "CryptoCore", "LLM", "TestSupport"]),
        // The services' flows and the worker over a SessionDB in a temporary
        // directory, with injected clocks; AWS only through the loopback server.
        .testTarget(name: "VoiceServiceTests", dependencies: [
            "VoiceService", "Common", "SessionDB", "Voice", "AWS", "HTTPClient", "TestSupport", "Metrics",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "RemoServiceTests", dependencies: ["RemoService", "Common", "SessionDB", "Remo", "CryptoCore"]),
        // docs/openapi.json against every router's routes.
        .testTarget(name: "OpenAPITests", dependencies: ["Common", "VoiceService", "RemoService"]),
    ]
)
