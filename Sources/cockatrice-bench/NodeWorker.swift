import ArgumentParser
import Core
import Foundation

/// The process the node crash test (Tests/CoreTests/Cluster/NodeCrashProcessTests.swift) kills
/// with SIGKILL: a standalone node under `--dir` that writes batches of 25 documents
/// (`w<pid>-<batch>-<k>`) to index `docs` and prints `ack <pid> <batch>` once each write is acknowledged.
/// The indices are never committed while it runs, so what survives comes from the Raft log.
struct NodeWorker: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "node-worker", abstract: "Crash-test worker (tests only).",
                                                    shouldDisplay: false)

    @Option var dir: String

    /// Synchronous on purpose: the bench's root command is synchronous (an async root made
    /// the release compiler crash in another subcommand), so the async work runs in a task
    /// this thread waits for.
    func run() throws {
        let outcome = WorkerOutcome()
        let done = DispatchSemaphore(value: 0)
        let dir = self.dir
        Task {
            do { try await Self.work(dir: dir) } catch { outcome.error = error }
            done.signal()
        }
        done.wait()
        if let error = outcome.error { throw error }
    }

    static func work(dir: String) async throws {
        let options = IndexWriterOptions(refreshInterval: nil, backgroundMerges: false)
        let node = try ClusterNode(root: dir, fileIO: LocalFileIO(), registry: try makeBuiltinRegistry(), options: options)
        let schema = "schema:\n  id: {field_type: id, args: {unique: true, stored: true}}\n  body: {field_type: text}\n"
        if node.stateMachine.index(named: "docs") == nil {
            _ = try await node.write(.createIndex(name: "docs", indexID: "docs-1", config: schema))
        }
        let pid = ProcessInfo.processInfo.processIdentifier
        var batch = 0
        while true {
            batch += 1
            let documents = (0..<25).map { k in
                IdentifiedDocument(id: "w\(pid)-\(batch)-\(k)", document: Document(fields: [
                    .init(name: "id", values: [.text("w\(pid)-\(batch)-\(k)")]),
                    .init(name: "body", values: [.text("batch \(batch) document \(k)")]),
                ]))
            }
            let ack = try await node.write(.putDocuments(index: "docs", documents: documents))
            guard ack.outcome == .applied else { throw ValidationError("write refused: \(ack.outcome)") }
            // Unbuffered, so the test sees each acknowledgement before the kill.
            FileHandle.standardOutput.write(Data("ack \(pid) \(batch)\n".utf8))
        }
    }
}

/// Where the worker's task leaves its error for the waiting thread.
private final class WorkerOutcome: @unchecked Sendable {
    // @unchecked: written by the task before it signals, read by the waiter after.
    var error: (any Error)?
}
