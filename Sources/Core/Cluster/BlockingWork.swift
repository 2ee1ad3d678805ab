import Foundation

/// Runs blocking file work (flushing segments, zipping a backup) on a thread of its own and
/// awaits it: Swift's cooperative pool has one thread per core (two here), and a task that
/// blocks one of them for seconds would stall every actor, the write path included.
enum BlockingWork {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
