import NIOCore

/// Exponential reconnect delays with jitter (a random delay between half and all of
/// base·2ⁿ⁻¹, capped): a restarted peer is found again within `cap`, and the peers that lost the
/// same node do not all knock at the same instant.
struct Backoff: Sendable {
    var base: TimeAmount = .milliseconds(50)
    var cap: TimeAmount = .seconds(2)

    func delay(afterFailures failures: Int) -> TimeAmount {
        let exponent = min(max(failures - 1, 0), 20)
        let ceiling = min(base.nanoseconds << exponent, cap.nanoseconds)
        return .nanoseconds(Int64.random(in: ceiling / 2 ... max(ceiling, 1)))
    }
}
