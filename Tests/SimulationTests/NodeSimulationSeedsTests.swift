import Core
import Testing
import Simulation

/// The node-level simulation (the real indices as the state machine) over a few seeds in the
/// debug build; `make sim-node` runs hundreds in release.
@Suite struct NodeSimulationSeedsTests {
    static func options() -> SimulationOptions {
        var options = SimulationOptions()
        options.stateMachine = .node
        options.restartAllAtEnd = true
        return options
    }

    /// Six seeds per group (swift-testing runs the groups in parallel); each group must also
    /// really do what the run claims to check, or a harness that stopped writing, searching,
    /// crashing or installing snapshots would pass.
    @Test(arguments: 0..<2)
    func seedsRunCleanAndExerciseWhatTheyClaim(group: Int) async {
        let first = UInt64(1 + group * 6)
        var total = SimulationStats()
        for seed in first..<(first + 6) {
            let outcome = await simulate(seed, Self.options())
            #expect(outcome.failures.isEmpty, "seed \(seed): \(outcome.failures.joined(separator: "; ")) -- replay: cockatrice-sim --node --seeds 1 --seed-start \(seed) --verbose")
            total.add(outcome.stats)
        }
        #expect(total.acknowledgedWrites > 300)
        #expect(total.searches > 300)
        #expect(total.syncWritesChecked > 100)
        #expect(total.crashes > 10)
        #expect(total.commits > 50)
        #expect(total.merges > 2)
        #expect(total.partitions > 10)
        #expect(total.membershipChanges > 3)
        #expect(total.snapshotsInstalled > 8)
        #expect(total.installsResumed > 3)
        #expect(total.searchComparisons > 100)
        #expect(total.rankingComparisons > 30)
    }

    @Test func fiveNodesOnAHostileNetworkWithFrequentCompaction() async {
        var options = Self.options()
        options.nodes = 5
        options.snapshotEvery = 5
        options.maxDropPercent = 40
        options.faultPercent = 80
        for seed: UInt64 in 5000..<5003 {
            let outcome = await simulate(seed, options)
            #expect(outcome.failures.isEmpty, "seed \(seed): \(outcome.failures.joined(separator: "; ")) -- replay: cockatrice-sim --node --seeds 1 --seed-start \(seed) --nodes 5 --snapshot-every 5 --max-drop 40 --fault-percent 80 --verbose")
        }
    }

    @Test func aSeedReplaysExactly() async {
        let first = await simulate(5, Self.options())
        let second = await simulate(5, Self.options())
        #expect(first.stats == second.stats)
        #expect(first.failures == second.failures)
    }

    /// A node that skips one committed put (and so diverges from the others) must fail the
    /// run: the checks are not vacuous.
    @Test(arguments: [UInt64(3), 4, 9])
    func aNodeThatSkipsAnEntryIsCaught(seed: UInt64) async {
        var options = Self.options()
        options.membershipChanges = false
        options.sabotage = .skipPut(node: 2, after: 20)
        let outcome = await simulate(seed, options)
        #expect(!outcome.failures.isEmpty)
        #expect(outcome.failures.contains { $0.contains("committed log says") || $0.contains("different") }, "\(outcome.failures)")
    }
}
