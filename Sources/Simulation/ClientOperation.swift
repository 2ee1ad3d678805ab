import Core

/// One client operation as the history records it: invoked at `called`, answered at
/// `returned` (nil: no answer, outcome unknown).
struct ClientOperation {
    var id: UInt64
    var client: Int
    var key: UInt64
    var isWrite: Bool
    /// The value written, or the value read.
    var value: UInt64
    var node: NodeID
    var called: Int
    var returned: Int?
    var deadline: Int
}
