/// A linearizable read that may be served once the state machine has applied `index`.
public struct ReadState: Sendable, Equatable {
    public var index: UInt64
    /// The request context passed to `readIndex`.
    public var context: [UInt8]
}
