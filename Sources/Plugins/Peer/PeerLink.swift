import Core
import Logging
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What every outbound link shares: where connections run, how they authenticate, the limits.
struct PeerLinkSettings: Sendable {
    var group: any EventLoopGroup
    var handshake: PeerHandshake
    var logger: Logger
    var maxBodySize: Int
    var backoff = Backoff()
    /// Raft messages waiting for one peer beyond this are dropped (Raft resends what matters).
    var maxQueuedBytes = 64 << 20
    /// Raft messages are cut into frames of about this size, so one huge batch neither hits the
    /// frame limit nor delays a call response behind it for long.
    var raftFrameTarget = 4 << 20
    var connectTimeout: TimeAmount = .seconds(5)
    /// How long the peer has to complete the handshake before the connection is abandoned.
    var handshakeTimeout: TimeAmount = .seconds(10)
    /// A link that is not to a peer closes its connection after this long without calls.
    var idleTimeout: TimeAmount = .seconds(60)
}

/// The one outbound connection to an address: Raft messages to the peer there and calls to it
/// share it. Messages queue while the connection is being made and go out in order once the
/// handshake is done; all that queued between two event-loop turns leaves in one write and one
/// flush (batching without waiting), and nothing waits for an answer before sending the next
/// (pipelining). A link to a peer reconnects with backoff whenever its connection fails; a
/// link made for calls to another address connects on demand and closes when idle.
///
/// Thread-safety: the state is behind a mutex; channel writes are thread-safe in NIO, and the
/// drain runs on the channel's event loop.
final class PeerLink: Sendable {
    let address: String
    private let settings: PeerLinkSettings
    private let state: Mutex<State>

    private enum Phase {
        case idle
        case connecting
        case ready(any Channel)
        /// Waiting to reconnect after a failure (peers only); messages are dropped meanwhile.
        case backingOff
        /// Shut down for good (the transport stopped).
        case closed
    }

    private struct PendingCall {
        var continuation: CheckedContinuation<[UInt8], any Error>
        var timeout: Scheduled<Void>?
    }

    private struct State {
        var phase: Phase = .idle
        var isPeer: Bool
        /// Identifies the current connection attempt, so late events of an old one are ignored.
        var generation = 0
        var messages: [Message] = []
        var queuedBytes = 0
        var dropped = 0
        var requests: [PeerFrame] = []
        var calls: [UInt64: PendingCall] = [:]
        /// Calls cancelled before they were registered.
        var cancelled: Set<UInt64> = []
        var drainScheduled = false
        var failures = 0
        var lastError = "not connected yet"
        var lastUsed = NIODeadline.now()
    }

    init(address: String, isPeer: Bool, settings: PeerLinkSettings) {
        self.address = address
        self.settings = settings
        state = Mutex(State(isPeer: isPeer))
    }

    var isPeer: Bool { state.withLock { $0.isPeer } }

    /// Whether the connection is up (handshake done).
    var isConnected: Bool {
        state.withLock { s in
            if case .ready = s.phase { return true }
            return false
        }
    }

    // MARK: Raft messages

    /// Queues messages for the peer; drops them while the peer is unreachable or its queue is
    /// full, and drops any message too large for one frame (which the peer would
    /// refuse, closing the connection, again after every reconnect).
    func enqueue(_ batch: [Message]) {
        // `byteSize` leaves out a few fields (a snapshot's member ids): 4 KiB of slack covers them.
        let limit = settings.maxBodySize - 4096
        let messages = batch.contains { $0.byteSize > limit } ? batch.filter { $0.byteSize <= limit } : batch
        let tooLarge = batch.count - messages.count
        let bytes = messages.reduce(0) { $0 + $1.byteSize }
        enum Next { case nothing, connect, drain(any Channel) }
        let next: Next = state.withLock { s in
            s.dropped += tooLarge
            switch s.phase {
            case .backingOff, .closed:
                s.dropped += messages.count
                return .nothing
            case .idle, .connecting, .ready:
                break
            }
            guard !messages.isEmpty, s.queuedBytes + bytes <= settings.maxQueuedBytes else {
                s.dropped += messages.count
                return .nothing
            }
            s.messages.append(contentsOf: messages)
            s.queuedBytes += bytes
            switch s.phase {
            case .idle:
                return .connect
            case .ready(let channel) where !s.drainScheduled:
                s.drainScheduled = true
                return .drain(channel)
            default:
                return .nothing
            }
        }
        switch next {
        case .nothing: break
        case .connect: connect()
        case .drain(let channel): channel.eventLoop.execute { self.drain() }
        }
    }

    /// Writes everything queued in as few frames as the size target allows, then flushes once.
    /// Runs on the channel's event loop; holds back while the socket is not writable (resumed
    /// by `writabilityChanged`), so a slow peer fills our queue, not our memory.
    func drain() {
        let taken: (any Channel, [Message], [PeerFrame])? = state.withLock { s in
            s.drainScheduled = false
            guard case .ready(let channel) = s.phase, channel.isWritable else { return nil }
            defer {
                s.messages = []
                s.requests = []
                s.queuedBytes = 0
            }
            return (channel, s.messages, s.requests)
        }
        guard let (channel, messages, requests) = taken, !(messages.isEmpty && requests.isEmpty) else { return }
        for request in requests {
            channel.write(request.framed(allocator: channel.allocator), promise: nil)
        }
        // Half the frame limit leaves room for the encoding's overhead over `byteSize`.
        let target = min(settings.raftFrameTarget, settings.maxBodySize / 2)
        var start = 0
        while start < messages.count {
            var end = start
            var size = 0
            while end < messages.count && (end == start || size + messages[end].byteSize <= target) {
                size += messages[end].byteSize
                end += 1
            }
            let frame = PeerFrame.raft(Array(messages[start..<end]))
            channel.write(frame.framed(allocator: channel.allocator), promise: nil)
            start = end
        }
        channel.flush()
    }

    func writabilityChanged(_ channel: any Channel) {
        if channel.isWritable { drain() }
    }

    // MARK: Calls

    /// Sends a request and waits for its response, the timeout, or the connection's failure.
    func call(id: UInt64, method: String, body: [UInt8], timeout: TimeAmount) async throws -> [UInt8] {
        let frame = PeerFrame.request(id: id, method: method, body: body)
        guard frame.estimatedBodySize <= settings.maxBodySize else {
            throw PeerCallError(code: "too_large", message: "a \(method) request of \(body.count) bytes exceeds the frame limit (\(settings.maxBodySize))")
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
                start(id: id, frame: frame, timeout: timeout, continuation: continuation)
            }
        } onCancel: {
            self.cancel(id)
        }
    }

    private func start(id: UInt64, frame: PeerFrame, timeout: TimeAmount,
                       continuation: CheckedContinuation<[UInt8], any Error>) {
        enum Next { case failed(any Error), connect, write(any Channel), nothing }
        let next: Next = state.withLock { s in
            if s.cancelled.remove(id) != nil { return .failed(CancellationError()) }
            switch s.phase {
            case .closed:
                return .failed(PeerCallError(code: "unavailable", message: "the peer transport is shut down"))
            case .backingOff:
                return .failed(PeerCallError(code: "unavailable", message: "\(address) is unreachable: \(s.lastError)"))
            case .idle, .connecting, .ready:
                break
            }
            let scheduled = settings.group.any().scheduleTask(in: timeout) {
                self.finish(id, .failure(PeerCallError(code: "timeout", message: "no answer from \(self.address) within \(timeout)")))
            }
            s.calls[id] = PendingCall(continuation: continuation, timeout: scheduled)
            s.lastUsed = .now()
            switch s.phase {
            case .ready(let channel):
                return .write(channel)
            case .idle:
                s.requests.append(frame)
                return .connect
            default:
                s.requests.append(frame)
                return .nothing
            }
        }
        switch next {
        case .failed(let error): continuation.resume(throwing: error)
        case .connect: connect()
        case .write(let channel): channel.writeAndFlush(frame.framed(allocator: channel.allocator), promise: nil)
        case .nothing: break
        }
    }

    private func cancel(_ id: UInt64) {
        let registered = state.withLock { s in
            if s.calls[id] != nil { return true }
            s.cancelled.insert(id)
            return false
        }
        if registered { finish(id, .failure(CancellationError())) }
    }

    /// Completes a call with its response (or failure); a late or unknown id is ignored.
    func finish(_ id: UInt64, _ result: Result<[UInt8], any Error>) {
        let call: PendingCall? = state.withLock { s in
            let call = s.calls.removeValue(forKey: id)
            if call != nil && s.calls.isEmpty && !s.isPeer { scheduleIdleCheck() }
            return call
        }
        guard let call else { return }
        call.timeout?.cancel()
        call.continuation.resume(with: result)
    }

    private func scheduleIdleCheck() {
        let timeout = settings.idleTimeout
        _ = settings.group.any().scheduleTask(in: timeout) {
            let channel: (any Channel)? = self.state.withLock { s in
                guard !s.isPeer, s.calls.isEmpty, s.lastUsed + timeout <= .now(), case .ready(let channel) = s.phase else {
                    return nil
                }
                s.generation += 1
                s.phase = .idle
                return channel
            }
            channel?.close(promise: nil)
        }
    }

    // MARK: Connection lifecycle

    /// Starts a connection attempt if none is running.
    func connect() {
        let generation: Int? = state.withLock { s in
            guard case .idle = s.phase else { return nil }
            s.generation += 1
            s.phase = .connecting
            return s.generation
        }
        guard let generation else { return }
        guard let target = PeerAddress(address) else {
            connectionFailed(generation: generation, reason: "'\(address)' is not a HOST:PORT address", code: "unavailable")
            return
        }
        let settings = settings
        let bootstrap = ClientBootstrap(group: settings.group)
            .connectTimeout(settings.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sealing = FrameSealing()
                    let handler = OutboundHandler(link: self, generation: generation, handshake: settings.handshake,
                                                  sealing: sealing, timeout: settings.handshakeTimeout)
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder(maxBodySize: settings.maxBodySize, sealing: sealing)))
                    try channel.pipeline.syncOperations.addHandler(FrameSealer(sealing: sealing))
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        bootstrap.connect(host: target.host, port: target.port).whenFailure { error in
            self.connectionFailed(generation: generation, reason: "cannot connect to \(self.address): \(Self.describe(error))",
                                  code: "unavailable")
        }
    }

    /// "Connection refused" rather than NIO's nested error dump, for the command line.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? NIOConnectionError else { return "\(error)" }
        if let failure = error.connectionErrors.first {
            if let io = failure.error as? IOError { return String(cString: strerror(io.errnoCode)) }
            return "\(failure.error)"
        }
        if let dns = error.dnsAError ?? error.dnsAAAAError { return "cannot resolve \(error.host): \(dns)" }
        return "\(error)"
    }

    /// The handshake succeeded: the connection carries traffic from now on.
    func handshakeCompleted(_ channel: any Channel, generation: Int) {
        let current: Bool = state.withLock { s in
            guard s.generation == generation, case .connecting = s.phase else { return false }
            s.phase = .ready(channel)
            s.failures = 0
            s.drainScheduled = true
            return true
        }
        guard current else {
            channel.close(promise: nil)
            return
        }
        settings.logger.debug("connected to peer", metadata: ["peer": "\(address)"])
        drain()
    }

    /// The attempt or the connection ended. Pending calls fail (their outcome is unknown if the
    /// request went out); queued messages are dropped; a peer link retries after a backoff.
    func connectionFailed(generation: Int, reason: String, code: String) {
        let failed: (calls: [PendingCall], retryIn: TimeAmount?)? = state.withLock { s in
            guard s.generation == generation else { return nil }
            if case .closed = s.phase { return nil }
            let wasReady = if case .ready = s.phase { true } else { false }
            s.lastError = reason
            s.messages = []
            s.requests = []
            s.queuedBytes = 0
            let calls = Array(s.calls.values)
            s.calls = [:]
            guard s.isPeer else {
                s.phase = .idle
                return (calls, nil)
            }
            // A connection that worked and then closed is retried almost at once; repeated
            // failures back off.
            s.failures = wasReady ? 1 : s.failures + 1
            s.phase = .backingOff
            return (calls, settings.backoff.delay(afterFailures: s.failures))
        }
        guard let failed else { return }
        for call in failed.calls {
            call.timeout?.cancel()
            call.continuation.resume(throwing: PeerCallError(code: code, message: reason))
        }
        if let delay = failed.retryIn {
            settings.logger.debug("peer connection failed", metadata: ["peer": "\(address)", "reason": "\(reason)", "retry_ms": "\(delay.nanoseconds / 1_000_000)"])
            _ = settings.group.any().scheduleTask(in: delay) { self.retry() }
        }
    }

    private func retry() {
        let due = state.withLock { s in
            guard case .backingOff = s.phase else { return false }
            s.phase = .idle
            return s.isPeer
        }
        if due { connect() }
    }

    /// Makes this the link to a peer (reconnecting from now on) or a link for calls only.
    func setPeer(_ isPeer: Bool) {
        let connectNow = state.withLock { s in
            s.isPeer = isPeer
            if !isPeer, case .backingOff = s.phase { s.phase = .idle }
            if case .idle = s.phase { return isPeer }
            return false
        }
        if connectNow { connect() }
    }

    /// Closes the connection and fails pending calls; `permanently` when the transport stops.
    func close(permanently: Bool) {
        let taken: (any Channel)?, calls: [PendingCall]
        (taken, calls) = state.withLock { s in
            var channel: (any Channel)?
            if case .ready(let c) = s.phase { channel = c }
            s.generation += 1
            s.phase = permanently ? .closed : .idle
            s.messages = []
            s.requests = []
            s.queuedBytes = 0
            let calls = Array(s.calls.values)
            s.calls = [:]
            return (channel, calls)
        }
        for call in calls {
            call.timeout?.cancel()
            call.continuation.resume(throwing: PeerCallError(code: "unavailable", message: "connection to \(address) closed"))
        }
        taken?.close(promise: nil)
    }

    /// Messages dropped so far (unreachable peer or full queue).
    var droppedMessages: Int { state.withLock { $0.dropped } }
}
