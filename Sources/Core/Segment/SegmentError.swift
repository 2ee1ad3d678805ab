/// A failure reading or writing a segment, naming the file.
public enum SegmentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file failed its checks or decodes to something impossible.
    case corrupt(file: String, reason: String)
    /// The segment names a codec the registry does not have (a plugin is missing).
    case unknownCodec(file: String, name: String, version: Int)
    /// A file-system operation failed.
    case store(StoreError)

    public var description: String {
        switch self {
        case .corrupt(let file, let reason): "\(file): corrupt segment file: \(reason)"
        case .unknownCodec(let file, let name, let version): "\(file): written with codec '\(name)' version \(version), which is not registered"
        case .store(let error): error.description
        }
    }

    /// Wraps any error from the store or a codec, keeping the file name.
    static func wrap(_ error: any Error, file: String) -> SegmentError {
        switch error {
        case let e as SegmentError: return e
        case let e as StoreError:
            if case .corrupt(let path, let offset, let reason) = e {
                return .corrupt(file: path, reason: offset.map { "at offset \($0): \(reason)" } ?? reason)
            }
            return .store(e)
        case let e as CodecError: return .corrupt(file: file, reason: e.description)
        default: return .corrupt(file: file, reason: "\(error)")
        }
    }

    /// Whether the error says the data on disk is damaged (as opposed to an I/O failure).
    public var isCorruption: Bool {
        if case .corrupt = self { return true }
        return false
    }
}
