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
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "Analyzers",
            dependencies: ["Core"]
        ),
        .target(
            name: "Plugins",
            dependencies: ["Core", "CLZ4", "CDeflate"]
        ),
        .executableTarget(
            name: "cockatrice",
            dependencies: [
                "Core", "Analyzers", "Plugins", "CDeflate",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
            dependencies: ["Core"]
        ),
        .executableTarget(
            name: "cockatrice-sim",
            dependencies: ["Simulation", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "cockatrice-bench",
            dependencies: [
                "Core", "Analyzers", "Plugins",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Reference fixtures (and the scripts that made them) are read by path, not bundled.
        .testTarget(name: "CoreTests", dependencies: ["Core", "Analyzers", "Plugins"], exclude: ["Search/Fixtures", "Index/Fixtures"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Core"]),
        .testTarget(name: "AnalyzersTests", dependencies: ["Analyzers", "Core"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PluginsTests", dependencies: ["Plugins", "Core"]),
        .testTarget(name: "EndToEndTests", dependencies: ["Core"], exclude: ["Resources"]),
    ],
    swiftLanguageModes: [.v6]
)
