import Core
import Foundation

/// The admin commands' side of the peer calls (`cockatrice status`, `join`, `leave`,
/// `snapshot`), over any `PeerNetwork`. Failures are `PeerCallError`s: the remote node's
/// (code and message as it sent them) or the transport's.
public struct PeerAdminClient: Sendable {
    public let network: any PeerNetwork
    /// The node's peer address, `host:port`.
    public let address: String
    /// The limit on each call.
    public let timeout: Duration

    public init(network: any PeerNetwork, address: String, timeout: Duration = .seconds(300)) {
        self.network = network
        self.address = address
        self.timeout = timeout
    }

    /// The node's status object, as the JSON bytes it sent.
    public func status() async throws -> [UInt8] {
        try await network.call(address, method: PeerMethod.status, body: [], timeout: timeout)
    }

    /// Asks the node to add the node at `member` (`host:port`) to its cluster.
    public func join(_ member: String) async throws -> [UInt8] {
        try await network.call(address, method: PeerMethod.join, body: Array(member.utf8), timeout: timeout)
    }

    /// Asks the node to remove the node at `member` (`host:port`) from its cluster.
    public func leave(_ member: String) async throws -> [UInt8] {
        try await network.call(address, method: PeerMethod.leave, body: Array(member.utf8), timeout: timeout)
    }

    /// Has the node write its backup zip, then copies it to `path` in reads of at most 4 MiB:
    /// into a temporary file beside `path`, fsynced, then renamed, so `path` is either the
    /// whole zip or untouched. Returns the size.
    @discardableResult
    public func downloadSnapshot(to path: String) async throws -> Int {
        let created = try await network.call(address, method: PeerMethod.snapshotCreate, body: [], timeout: timeout)
        guard let size = Self.snapshotSize(created) else {
            throw PeerCallError(code: "invalid_response", message: "snapshot.create answered \(String(decoding: created.prefix(200), as: UTF8.self)), not {\"bytes\": N}")
        }
        let temporary = "\(path).tmp-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let file = FileHandle(forWritingAtPath: temporary) else {
            throw PeerCallError(code: "io_error", message: "cannot create \(temporary)")
        }
        do {
            var offset = 0
            while offset < size {
                let length = min(SnapshotReadRequest.maxLength, size - offset)
                let request = SnapshotReadRequest(offset: UInt64(offset), length: length)
                let chunk = try await network.call(address, method: PeerMethod.snapshotRead, body: request.encoded(), timeout: timeout)
                guard !chunk.isEmpty, chunk.count <= length else {
                    throw PeerCallError(code: "invalid_response", message: "snapshot.read at \(offset) answered \(chunk.count) bytes for \(length) (snapshot of \(size) bytes)")
                }
                try file.write(contentsOf: chunk)
                offset += chunk.count
            }
            try file.synchronize()
            try file.close()
            guard rename(temporary, path) == 0 else {
                throw PeerCallError(code: "io_error", message: "cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))")
            }
            return size
        } catch {
            try? file.close()
            try? FileManager.default.removeItem(atPath: temporary)
            if error is PeerCallError || error is CancellationError { throw error }
            throw PeerCallError(code: "io_error", message: "writing \(temporary): \(error)")
        }
    }

    /// N from `{"bytes": N}`.
    static func snapshotSize(_ json: [UInt8]) -> Int? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
              let number = object["bytes"] as? NSNumber else { return nil }
        let size = number.int64Value
        guard size >= 0, Double(size) == number.doubleValue else { return nil }
        return Int(size)
    }
}
