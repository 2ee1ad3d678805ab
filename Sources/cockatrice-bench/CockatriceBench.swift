import ArgumentParser

/// The benchmark driver of ../shared/bench/README.md: each command prints one JSON object on
/// stdout (progress on stderr), so runs can be compared with the peers' results.
@main
struct CockatriceBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cockatrice-bench",
        abstract: "Measure Cockatrice on the benchmark corpus (release builds only mean anything).",
        subcommands: [AnalyzeBench.self, CodecBench.self, IndexBench.self, SearchBench.self, NodeWorker.self, PeerBench.self]
    )
}
