/// A failure of the index layer: the writer, commits, snapshots.
public enum IndexError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A segment or commit file is damaged or unreadable (names the file).
    case segment(SegmentError)
    /// A file-system operation failed (a full disk is `.store` with `isNoSpace`).
    case store(StoreError)
    /// The document does not fit the index config (caught before logging by the server).
    case invalidDocument(String)
    /// The writer was closed, or stopped after a failure it cannot recover from in memory
    /// (reopen it from the last commit).
    case closed(reason: String)
    /// Another writer holds the directory.
    case locked(path: String)

    public var description: String {
        switch self {
        case .segment(let e): e.description
        case .store(let e): e.description
        case .invalidDocument(let m): "invalid document: \(m)"
        case .closed(let reason): "index writer closed: \(reason)"
        case .locked(let path): "\(path): the index is open in another writer"
        }
    }

    static func wrap(_ error: any Error) -> IndexError {
        switch error {
        case let e as IndexError: e
        case let e as SegmentError: .segment(e)
        case let e as StoreError:
            if case .corrupt(let path, let offset, let reason) = e {
                .segment(.corrupt(file: path, reason: offset.map { "at offset \($0): \(reason)" } ?? reason))
            } else {
                .store(e)
            }
        case let e as CodecError: .segment(.corrupt(file: "?", reason: e.description))
        default: .closed(reason: "\(error)")
        }
    }
}
