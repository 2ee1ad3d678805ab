import Foundation
import Simulation

/// Runs one simulated run on a thread of its own. A run is seconds of CPU in a debug build; on
/// the test runner's cooperative pool (one thread per core, two here, shared by every async
/// test) a handful of them at once would starve the in-process cluster suites' Raft clocks.
func simulate(_ seed: UInt64, _ options: SimulationOptions = SimulationOptions()) async -> SimulationOutcome {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(returning: RaftSimulation(seed: seed, options: options).run())
        }
    }
}
