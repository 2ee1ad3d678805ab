/// The result of one run.
public struct SimulationOutcome: Sendable {
    public var seed: UInt64
    /// Invariant violations; empty if the run passed.
    public var failures: [String]
    public var stats: SimulationStats

    public var passed: Bool { failures.isEmpty }
}
