import Testing
import Simulation

/// Runs the deterministic simulation over a few hundred seeds (debug build). `make sim` runs
/// many more in release.
@Suite struct SimulationSeedsTests {
    /// 250 seeds in five groups (swift-testing runs the groups in parallel).
    @Test(arguments: 0..<5)
    func seedsRunWithoutInvariantViolations(group: Int) async {
        let first = UInt64(1 + group * 50)
        await expectClean(seeds: first..<(first + 50), options: SimulationOptions())
    }

    /// Runs the seeds and records one issue per failing seed, with how to replay it.
    private func expectClean(seeds: Range<UInt64>, options: SimulationOptions) async {
        for seed in seeds {
            let outcome = await simulate(seed, options)
            #expect(outcome.failures.isEmpty, "seed \(seed): \(outcome.failures.joined(separator: "; ")) -- replay: cockatrice-sim --seeds 1 --seed-start \(seed) --nodes \(options.nodes) --steps \(options.duration) --verbose")
        }
    }

    @Test func fiveNodeGroupsSurviveLongerRuns() async {
        var options = SimulationOptions()
        options.nodes = 5
        options.duration = 6000
        await expectClean(seeds: 1000..<1010, options: options)
    }

    @Test func hostileNetworkFrequentSnapshotsAndFaults() async {
        var options = SimulationOptions()
        options.nodes = 5
        options.snapshotEvery = 4
        options.maxDropPercent = 40
        options.faultPercent = 80
        await expectClean(seeds: 2000..<2040, options: options)
    }

    @Test func aSeedReplaysExactly() async {
        let first = await simulate(77)
        let second = await simulate(77)
        #expect(first.stats.endTime == second.stats.endTime)
        #expect(first.stats.committed == second.stats.committed)
        #expect(first.stats.elections == second.stats.elections)
        #expect(first.stats.acknowledgedWrites == second.stats.acknowledgedWrites)
    }

    @Test func runsExerciseTheFaultsTheyClaim() async {
        // Guards against a harness that silently stopped injecting faults or serving clients.
        var total = SimulationStats()
        for seed: UInt64 in 1...20 {
            total.add(await simulate(seed).stats)
        }
        #expect(total.crashes > 20)
        #expect(total.partitions > 20)
        #expect(total.membershipChanges > 10)
        #expect(total.snapshotsInstalled > 3)
        #expect(total.acknowledgedWrites > 200)
        #expect(total.reads > 200)
        #expect(total.elections > 40)
    }
}
