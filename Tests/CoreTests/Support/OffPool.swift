import Foundation

/// Runs blocking work (waiting on a child process's pipe, say) on a thread of its own. The test
/// runner's cooperative pool has one thread per core (two here), shared by every async test; a
/// test that blocks one of them for seconds starves the in-process clusters' Raft clocks.
/// Expectations stay in the caller: `body` only computes.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
