import ArgumentParser
import Core
import Dispatch
import Foundation
import Logging
import PeerTransport
import Synchronization

/// `cockatrice-bench peer`: the peer transport over loopback: round-trip latency of calls made
/// one at a time, and Raft messages per second when a sender streams them (pipelined).
///
/// A synchronous command that runs its async work to completion itself: an async root command
/// crashed the release compiler before.
struct PeerBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "peer", abstract: "Peer transport latency and throughput on loopback.")

    @Option(help: "Calls made one at a time (latency).")
    var calls: Int = 5000

    @Option(help: "Raft messages streamed (throughput).")
    var messages: Int = 200_000

    @Option(help: "Bytes of entry data in each streamed append message (0: heartbeats).")
    var payload: Int = 100

    @Option(help: "Messages handed to send() at a time, as a node hands over one Ready's messages.")
    var group: Int = 1

    @Option(help: "Messages sent but not yet delivered at most (flow control, as Raft's in-flight limit).")
    var window: Int = 20_000

    @Option(name: .customLong("cluster-secret"), help: "Run with a cluster secret (authenticated handshake).")
    var clusterSecret: String?

    func run() throws {
        let box = Mutex<Result<Data, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let bench = self
        Task {
            let result: Result<Data, any Error>
            do {
                let report = try await bench.measure()
                result = .success(try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys]))
            } catch {
                result = .failure(error)
            }
            box.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        let data = try box.withLock { try $0?.get() } ?? Data()
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    private func measure() async throws -> [String: Any] {
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let counter = CountingHandler()
        let server = PeerTransport(host: "127.0.0.1", port: 0, secret: clusterSecret, handler: counter, logger: logger)
        let port = try await server.start()
        let address = "127.0.0.1:\(port)"
        let client = PeerTransport(host: "127.0.0.1", port: 0, secret: clusterSecret, handler: counter, logger: logger)
        let body = [UInt8](repeating: 0x5A, count: 64)

        // Latency: one call at a time, after a warm-up that also makes the connection.
        for _ in 0..<100 { _ = try await client.call(address, method: "echo", body: body, timeout: .seconds(10)) }
        let clock = ContinuousClock()
        var samples: [Double] = []
        samples.reserveCapacity(calls)
        for _ in 0..<calls {
            let start = clock.now
            _ = try await client.call(address, method: "echo", body: body, timeout: .seconds(10))
            samples.append(Self.microseconds(clock.now - start))
        }
        samples.sort()

        // Throughput: stream appends (as a leader replicating), counted as they are delivered.
        client.setPeers([2: address])
        client.send([Message(type: .heartbeat, to: 2, from: 1, term: 1)])
        while counter.count.load(ordering: .relaxed) < 1 { try await Task.sleep(for: .milliseconds(1)) }
        let data = [UInt8](repeating: 0x42, count: payload)
        let before = counter.count.load(ordering: .relaxed)
        let start = clock.now
        var index: UInt64 = 0
        var sent = 0
        while sent < messages {
            var batch: [Message] = []
            for _ in 0..<min(group, messages - sent) {
                let message = payload == 0
                    ? Message(type: .heartbeat, to: 2, from: 1, term: 1, commit: index)
                    : Message(type: .append, to: 2, from: 1, term: 1, logTerm: 1, index: index,
                              entries: [Entry(term: 1, index: index + 1, data: data)], commit: index)
                batch.append(message)
                index += 1
            }
            client.send(batch)
            sent += batch.count
            // Sleep rather than spin: on a small machine the spinning sender would take the CPU
            // the receiver needs.
            while sent - (counter.count.load(ordering: .relaxed) - before) - client.droppedMessages > window {
                try await Task.sleep(for: .microseconds(100))
            }
        }
        let target = before + messages - Int(client.droppedMessages)
        while counter.count.load(ordering: .relaxed) < target { try await Task.sleep(for: .microseconds(200)) }
        let seconds = Self.microseconds(clock.now - start) / 1e6
        await client.shutdown()
        await server.shutdown()
        return [
            "engine": "cockatrice",
            "transport": "peer (SwiftNIO TCP, loopback)",
            "authenticated": clusterSecret != nil,
            "call_round_trip_us": [
                "calls": calls,
                "mean": samples.reduce(0, +) / Double(max(samples.count, 1)),
                "p50": Self.percentile(samples, 0.50),
                "p99": Self.percentile(samples, 0.99),
                "max": samples.last ?? 0,
            ],
            "stream": [
                "messages": messages,
                "payload_bytes": payload,
                "send_group": group,
                "window": window,
                "dropped": client.droppedMessages,
                "seconds": seconds,
                // Delivered ones: a sender that outruns the receiver drops (Raft would resend).
                "messages_per_second": Double(messages - client.droppedMessages) / seconds,
                "deliveries": counter.deliveries.load(ordering: .relaxed),
            ],
        ]
    }

    private static func microseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12
    }

    private static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }
}

/// Counts what arrives and echoes calls.
private final class CountingHandler: PeerHandler {
    let count = Atomic<Int>(0)
    let deliveries = Atomic<Int>(0)

    func receive(_ messages: [Message]) async {
        count.add(messages.count, ordering: .relaxed)
        deliveries.add(1, ordering: .relaxed)
    }

    func handle(method: String, body: [UInt8], from address: String) async throws -> [UInt8] { body }
}
