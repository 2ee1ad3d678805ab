import Core
import NIOCore
import Synchronization

/// Hands one inbound connection's Raft batches to the node in order, one `receive` at a time,
/// with backpressure: when the node falls `highWater` batches behind, the connection stops
/// reading (TCP then slows the sender, whose queue fills and drops, which Raft tolerates), and
/// reading resumes once the node is down to `lowWater`.
final class RaftInbox: Sendable {
    private let continuation: AsyncStream<[Message]>.Continuation
    private let backlog = Mutex<(batches: Int, paused: Bool)>((0, false))
    private let channel: any Channel
    static let highWater = 64
    static let lowWater = 16

    private init(channel: any Channel, continuation: AsyncStream<[Message]>.Continuation) {
        self.channel = channel
        self.continuation = continuation
    }

    /// An inbox whose batches go to `handler`; the task ends when the inbox is finished.
    static func start(channel: any Channel, handler: any PeerHandler) -> RaftInbox {
        let (stream, continuation) = AsyncStream<[Message]>.makeStream()
        let inbox = RaftInbox(channel: channel, continuation: continuation)
        Task {
            for await batch in stream {
                await handler.receive(batch)
                inbox.delivered()
            }
        }
        return inbox
    }

    /// Queues a batch; called on the channel's event loop.
    func deliver(_ messages: [Message]) {
        let pause = backlog.withLock { b in
            b.batches += 1
            if b.batches >= Self.highWater && !b.paused {
                b.paused = true
                return true
            }
            return false
        }
        continuation.yield(messages)
        if pause { channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in } }
    }

    private func delivered() {
        let resume = backlog.withLock { b in
            b.batches -= 1
            if b.paused && b.batches <= Self.lowWater {
                b.paused = false
                return true
            }
            return false
        }
        // Turning autoRead back on also issues the read that was held back.
        if resume { channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in } }
    }

    /// No more batches: the consumer finishes what is queued and ends.
    func finish() {
        continuation.finish()
    }
}
