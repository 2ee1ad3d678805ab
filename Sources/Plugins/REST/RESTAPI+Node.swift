import Core
import Foundation
import Hummingbird
import Metrics
import NIOCore

/// The node itself: cluster status, snapshots, health and metrics.
extension RESTAPI {
    func clusterStatus(_ call: Call) async throws -> Response {
        let node = try self.node
        if call.query["wait_for_applied"] != nil {
            let target = try call.query.int("wait_for_applied", default: 0, in: 0...Int.max)
            let timeout = try call.query.duration("timeout", default: .seconds(10), max: .seconds(300))
            guard await node.waitForApplied(UInt64(target), timeout: timeout) else {
                var error = APIError(status: .gatewayTimeout, code: "wait_timeout", kind: .unavailable,
                                     reason: "log index \(target) was not applied within \(timeout)")
                error.payload = [("cluster", .object(await node.status(advertisedAddress: advertisedAddress)))]
                throw error
            }
        }
        return call.reply([("cluster", .object(await node.status(advertisedAddress: advertisedAddress)))])
    }

    /// `PUT /cluster/<host:port>`: the admin `join`. The leader asks the node who it is: a
    /// member already is fine, a node waiting to be added (its `--seed-addr` could not add it)
    /// is added as a learner, a node of another cluster is refused (409).
    func addNode(_ call: Call) async throws -> Response {
        let node = try self.node
        let address = try call.parameter("node")
        let reply = try await membership { try await node.handle(method: PeerMethod.join, body: Array(address.utf8), from: "rest") }
        return call.reply([("cluster", reply)])
    }

    /// `DELETE /cluster/<host:port>`: removes the member (through the leader); its id is never
    /// readmitted.
    func removeNode(_ call: Call) async throws -> Response {
        let node = try self.node
        let address = try call.parameter("node")
        let reply = try await membership { try await node.handle(method: PeerMethod.leave, body: Array(address.utf8), from: "rest") }
        return call.reply([("cluster", reply)])
    }

    private func membership(_ change: () async throws -> [UInt8]) async throws -> JSONValue {
        do {
            let bytes = try await change()
            return (try? bytes.withUnsafeBufferPointer { try JSONParser.parse($0) }) ?? .object([])
        } catch let error as PeerCallError {
            switch error.code {
            case "not_found": throw APIError(status: .notFound, code: "node_not_found", kind: .invalidRequest, reason: error.message)
            case "bad_request", "removed": throw APIError.badRequest("invalid_node", error.message)
            case "conflict": throw APIError(status: .conflict, code: "node_in_another_cluster", kind: .invalidRequest, reason: error.message)
            case "unreachable": throw APIError.unavailable("node_unreachable", error.message)
            case "outcome_unknown": throw APIError.unavailable("outcome_unknown", error.message)
            default: throw APIError.unavailable("not_ready", error.message)
            }
        }
    }

    func takeSnapshot(_ call: Call) async throws -> Response {
        let node = try self.node
        let info: SnapshotInfo
        do {
            info = try await node.writeSnapshot(to: snapshotFile)
        } catch {
            throw APIError.internalError("the snapshot could not be written: \(error)")
        }
        return call.reply(.created, [("snapshot", .object([
            ("path", .string(info.path)), ("bytes", .int(info.bytes)), ("indices", .int(info.indices)),
            ("files", .int(info.files)), ("log_index", .int(info.logIndex)),
        ]))])
    }

    /// Streams the last snapshot zip; it is replaced by rename, so an open handle always reads
    /// one whole zip even while a new one is written.
    func downloadSnapshot(_ call: Call) async throws -> Response {
        guard let handle = FileHandle(forReadingAtPath: snapshotFile) else {
            throw APIError(status: .notFound, code: "snapshot_not_found", kind: .invalidRequest,
                           reason: "no snapshot at \(snapshotFile) yet: take one with PUT /snapshot")
        }
        let size = (try? handle.seekToEnd()).map(Int.init)
        try? handle.seek(toOffset: 0)
        var headers = HTTPFields()
        headers[.contentType] = "application/zip"
        headers[.contentDisposition] = "attachment; filename=\"snapshot.zip\""
        let box = HandleBox(handle: handle)
        return Response(status: .ok, headers: headers, body: ResponseBody(contentLength: size) { writer in
            defer { try? box.handle.close() }
            while let chunk = try box.handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            try await writer.finish(nil)
        })
    }

    func liveness(_ call: Call) async throws -> Response {
        call.reply([("liveness", .bool(true))])
    }

    func readiness(_ call: Call) async throws -> Response {
        let node = slot.node
        guard let node, node.isReady else {
            let reason = await node?.notReadyReason ?? "the node is opening (replaying its log)"
            return Envelope.response(status: .serviceUnavailable, payload: [("readiness", .bool(false))],
                                     error: .unavailable("not_ready", reason), started: call.context.started, format: call.format)
        }
        return call.reply([("readiness", .bool(true))])
    }

    /// Prometheus text: the HTTP metrics recorded as requests pass, and the node's numbers
    /// read now.
    func metrics(_ call: Call) async throws -> Response {
        Gauge(label: "cockatrice_node_ready").record(slot.node?.isReady == true ? 1 : 0)
        if let node = slot.node { await Self.recordNodeMetrics(node) }
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: renderMetrics())))
    }

    private static func recordNodeMetrics(_ node: ClusterNode) async {
        let stats = await node.stats()
        Gauge(label: "cockatrice_raft_applied_index").record(Double(stats.appliedIndex))
        Gauge(label: "cockatrice_raft_commit_index").record(Double(stats.commitIndex))
        Gauge(label: "cockatrice_raft_term").record(Double(stats.term))
        Gauge(label: "cockatrice_raft_log_entries").record(Double(stats.logLength))
        Gauge(label: "cockatrice_raft_leader_changes").record(Double(stats.leaderChanges))
        Gauge(label: "cockatrice_raft_snapshot_index").record(Double(stats.snapshotIndex))
        Gauge(label: "cockatrice_raft_log_compactions").record(Double(stats.compactions))
        Gauge(label: "cockatrice_raft_snapshot_installs").record(Double(stats.snapshotInstalls))
        for index in stats.indices {
            let dimensions = [("index", index.name)]
            Gauge(label: "cockatrice_index_documents", dimensions: dimensions).record(Double(index.documents))
            Gauge(label: "cockatrice_index_deleted_documents", dimensions: dimensions).record(Double(index.deletedDocuments))
            Gauge(label: "cockatrice_index_segments", dimensions: dimensions).record(Double(index.segments))
            Gauge(label: "cockatrice_index_merges_running", dimensions: dimensions).record(Double(index.mergesRunning))
            Gauge(label: "cockatrice_index_merges_completed", dimensions: dimensions).record(Double(index.mergesCompleted))
        }
    }
}

/// A file handle handed to the response body's writer (FileHandle is not Sendable; it is
/// used by that one task only).
private final class HandleBox: @unchecked Sendable {
    let handle: FileHandle
    init(handle: FileHandle) { self.handle = handle }
}
