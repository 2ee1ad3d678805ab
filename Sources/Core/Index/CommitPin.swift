import Synchronization

/// A commit point whose files are kept from deletion (`IndexWriter.pinLastCommit()`): the files
/// a backup zips, or a snapshot streams to a follower, while the index goes on committing and
/// merging. Released by `release()` or when the pin dies, whichever comes first; releasing twice
/// is harmless.
public final class CommitPin: Sendable {
    /// The pinned commit; `commit.files` are the files that stay.
    public let commit: CommitPoint
    private let deleter: FileDeleter
    private let released = Atomic<Bool>(false)

    init(commit: CommitPoint, deleter: FileDeleter) {
        self.commit = commit
        self.deleter = deleter
    }

    /// The directory the commit's files are in.
    public var directory: IndexDirectory { deleter.directory }

    /// Lets the files go (they are deleted if nothing else uses them).
    public func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        deleter.decRef(commit.files)
    }

    deinit { release() }
}
