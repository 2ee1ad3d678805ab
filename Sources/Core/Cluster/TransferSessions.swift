import Synchronization

/// The snapshot transfers a node serves: each session holds its pinned source until the
/// follower ends it or stops asking for two minutes (a follower that crashed mid-transfer
/// must not keep a leader's old segment files on disk forever).
final class TransferSessions: Sendable {
    static let idleLimit: Duration = .seconds(120)

    private struct Session {
        let source: SnapshotTransferSource
        var lastUsed: ContinuousClock.Instant
    }

    private let sessions = Mutex<[UInt64: Session]>([:])
    private let nextID = Atomic<UInt64>(1)

    /// Registers `source`; returns its session id.
    func open(_ source: SnapshotTransferSource) -> UInt64 {
        expireIdle()
        let id = nextID.add(1, ordering: .relaxed).oldValue
        sessions.withLock { $0[id] = Session(source: source, lastUsed: .now) }
        return id
    }

    /// The source of a live session (and marks it used).
    func source(_ id: UInt64) -> SnapshotTransferSource? {
        sessions.withLock { s in
            s[id]?.lastUsed = .now
            return s[id]?.source
        }
    }

    func close(_ id: UInt64) {
        sessions.withLock { $0.removeValue(forKey: id) }?.source.release()
    }

    /// Releases the sessions nobody asked anything of for `idleLimit`.
    func expireIdle(now: ContinuousClock.Instant = .now) {
        let expired = sessions.withLock { s in
            let ids = s.filter { now - $0.value.lastUsed >= Self.idleLimit }.map(\.key)
            return ids.compactMap { s.removeValue(forKey: $0)?.source }
        }
        for source in expired { source.release() }
    }

    /// Sessions open now (tests, status).
    var count: Int { sessions.withLock { $0.count } }

    /// Releases every session (the node closes).
    func closeAll() {
        let all = sessions.withLock { s in
            let sources = s.values.map(\.source)
            s = [:]
            return sources
        }
        for source in all { source.release() }
    }
}
