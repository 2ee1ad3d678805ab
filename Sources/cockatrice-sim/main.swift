import ArgumentParser
import Core
import Logging
import Simulation

#if canImport(Glibc)
import Glibc
#endif

/// `cockatrice-sim`: runs the deterministic Raft simulation over many seeds (`make sim`; with
/// `--node`, the node's indices as the state machine: `make sim-node`), and measures the
/// durable log's fsync cost (`log-bench`).
struct CockatriceSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cockatrice-sim",
        abstract: "Deterministic simulation of the Raft core, and a benchmark of its durable log.",
        subcommands: [Run.self, LogBench.self],
        defaultSubcommand: Run.self)
}

/// Runs seeds `seedStart ..< seedStart + seeds`; one line per failing seed, then a summary.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run simulation seeds.")

    @Option(help: "Number of seeds to run.") var seeds: Int = 100
    @Option(help: "First seed.") var seedStart: UInt64 = 1
    @Option(help: "Founding voters.") var nodes: Int = 3
    @Option(help: "Time units of faults and load before healing.") var steps: Int = 3000
    @Option(help: "Entries applied between snapshots (smaller: more snapshot transfers).") var snapshotEvery: Int = 20
    @Option(help: "Worst message loss in percent during bad network weather.") var maxDrop: Int = 20
    @Option(help: "Chance in percent, every 40 time units, that a fault starts.") var faultPercent: Int = 45
    @Flag(help: "Print a trace of each run and its statistics.") var verbose = false
    @Flag(help: "No faults at all (a baseline).") var noFaults = false
    @Flag(help: "Run the node's real indices as the state machine (documents written and searched) instead of the key-value store.")
    var node = false

    func validate() throws {
        guard seeds >= 0, nodes >= 1, steps >= 0, snapshotEvery >= 1 else {
            throw ValidationError("--seeds and --steps must be >= 0, --nodes and --snapshot-every >= 1")
        }
    }

    func run() throws {
        var options = SimulationOptions()
        options.nodes = nodes
        options.duration = steps
        options.faults = !noFaults
        options.snapshotEvery = snapshotEvery
        options.maxDropPercent = maxDrop
        options.faultPercent = faultPercent
        if node {
            options.stateMachine = .node
            options.restartAllAtEnd = true
        }
        if !verbose {
            // The node's indices log what they do (an installed snapshot, say): noise over
            // hundreds of seeds; --verbose keeps it beside the trace.
            LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
        }
        var failures = 0
        let start = monotonicSeconds()
        for seed in seedStart..<(seedStart + UInt64(seeds)) {
            let simulation = RaftSimulation(seed: seed, options: options)
            simulation.verbose = verbose
            let outcome = simulation.run()
            if verbose { print("seed \(seed): \(outcome.stats)") }
            if !outcome.passed {
                failures += 1
                print("FAIL seed \(seed): \(outcome.failures.joined(separator: "; ")) -- replay: cockatrice-sim --seeds 1 --seed-start \(seed) --nodes \(nodes) --steps \(steps) --snapshot-every \(snapshotEvery) --max-drop \(maxDrop) --fault-percent \(faultPercent)\(node ? " --node" : "") --verbose")
            }
        }
        let elapsed = monotonicSeconds() - start
        print("sim: ran in \(fixed(elapsed, 1)) s")
        print("sim: \(seeds) seeds, \(failures) failures")
        if failures > 0 { throw ExitCode(1) }
    }
}

/// Appends entries to a `DurableRaftLog` on the real disk, one fsync per entry and then with
/// group commit, and prints the cost per entry.
struct LogBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log-bench", abstract: "Measure the log's fsync cost per entry.")

    @Option(help: "Scratch directory (its contents are replaced).") var dir: String = "/tmp/cockatrice-log-bench"
    @Option(help: "Entries per run.") var entries: Int = 2000
    @Option(help: "Bytes of payload per entry.") var entrySize: Int = 256
    @Option(help: "Entries per fsync with group commit.") var batch: Int = 64

    func run() throws {
        let io = LocalFileIO()
        for batchSize in [1, batch] {
            try io.removeTree(dir)
            let log = try DurableRaftLog.open(directory: dir, fileIO: io)
            let payload = [UInt8](repeating: 0xAB, count: entrySize)
            let syncsBefore = log.syncCount
            let start = monotonicSeconds()
            var index: UInt64 = 1
            while index <= UInt64(entries) {
                let count = min(batchSize, entries - Int(index) + 1)
                let batchEntries = (0..<count).map { Entry(term: 1, index: index + UInt64($0), data: payload) }
                log.save(hardState: HardState(term: 1, vote: 1, commit: index - 1), entries: batchEntries)
                try log.sync()
                index += UInt64(count)
            }
            let elapsed = monotonicSeconds() - start
            let perEntry = elapsed / Double(entries) * 1e6
            print("log-bench: \(entries) entries of \(entrySize) B, \(batchSize) per fsync: \(fixed(perEntry, 1)) us/entry, "
                + "\(Int(Double(entries) / elapsed)) entries/s, \(log.syncCount - syncsBefore) fsyncs")
            try log.close()
        }
        try io.removeTree(dir)
    }
}

/// `value` with `digits` decimals (no Foundation here).
func fixed(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    let whole = scaled / Int(scale)
    let fraction = String(abs(scaled % Int(scale)))
    return digits == 0 ? "\(whole)" : "\(whole).\(String(repeating: "0", count: digits - fraction.count))\(fraction)"
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

CockatriceSim.main()
