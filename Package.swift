// swift-tools-version: 6.1
import PackageDescription

// Dependencies point one way: cockatrice -> Plugins, Analyzers -> Core (DESIGN.md).
// Core is linked into the executable, which exports its symbols so that shared-library
// plugins built against Core's module file resolve to the host's single copy of Core.
let package = Package(
    name: "Cockatrice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cockatrice", targets: ["cockatrice"]),
        .library(name: "Core", targets: ["Core"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // HMAC-SHA256 for the peer handshake. 4.x is accepted too: other packages in the graph
        // (swift-certificates, swift-nio-extras) already resolve to it.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // Default traits off: ConfigurationSupport pulls in swift-configuration (DESIGN.md,
        // "Facts measured"), and nothing here needs FullFoundation's extras.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    ],
    targets: [
        .systemLibrary(
            name: "CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]
        ),
        // Not "CZLib": ZIPFoundation (the snapshot zips) already defines a module of that name.
        .systemLibrary(
            name: "CDeflate",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "Core",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(
            name: "Analyzers",
            dependencies: ["Core"]
        ),
        // The codecs. The transports live beside them in Sources/Plugins but are targets of their
        // own, so that what only needs the codecs (CoreTests, the benchmarks) does not build an
        // HTTP stack.
        .target(
            name: "Plugins",
            dependencies: ["Core", "CLZ4", "CDeflate"],
            exclude: ["REST", "Peer"]
        ),
        // The REST transport (Hummingbird 2), registered as the `rest` transport.
        .target(
            name: "RESTTransport",
            dependencies: [
                "Core",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Sources/Plugins/REST"
        ),
        // The peer transport: Raft messages and admin calls between nodes over SwiftNIO TCP.
        .target(
            name: "PeerTransport",
            dependencies: [
                "Core",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Plugins/Peer"
        ),
        .executableTarget(
            name: "cockatrice",
            dependencies: [
                "Core", "Analyzers", "Plugins", "RESTTransport", "PeerTransport", "CDeflate",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            linkerSettings: [
                // Plugins resolve Core's symbols to the host's copy at dlopen (DESIGN.md, layout (a)).
                .unsafeFlags(["-Xlinker", "--export-dynamic"]),
            ]
        ),
        // The Raft simulation harness (simulated network, disk and clock; invariant and
        // linearizability checkers): a library so that both the tests and `make sim` (a release
        // executable running many seeds) use it.
        .target(
            name: "Simulation",
            dependencies: ["Core", "Analyzers", "Plugins"]
        ),
        .executableTarget(
            name: "cockatrice-sim",
            dependencies: [
                "Simulation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "cockatrice-bench",
            dependencies: [
                "Core", "Analyzers", "Plugins", "PeerTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Reference fixtures (and the scripts that made them) are read by path, not bundled.
        .testTarget(name: "CoreTests", dependencies: ["Core", "Analyzers", "Plugins"], exclude: ["Search/Fixtures", "Index/Fixtures"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Core"]),
        .testTarget(name: "AnalyzersTests", dependencies: ["Analyzers", "Core"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PluginsTests", dependencies: ["Plugins", "Core"]),
        .testTarget(name: "RESTTransportTests", dependencies: [
            "RESTTransport", "Core", "Analyzers", .product(name: "Yams", package: "Yams"),
        ]),
        .testTarget(name: "PeerTransportTests", dependencies: [
            "PeerTransport", "Core",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "EndToEndTests", dependencies: ["Core"], exclude: ["Resources"]),
    ],
    swiftLanguageModes: [.v6]
)
