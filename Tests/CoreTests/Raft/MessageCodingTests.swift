import Testing
@testable import Core

/// The peer encoding of Raft messages: every type round-trips, and no input, however damaged,
/// makes the decoder trap or hand RaftNode a message it cannot take.
@Suite struct MessageCodingTests {
    static let membership = ConfState(voters: [0xDEAD_BEEF_0000_0001, 2, 3], learners: [UInt64.max], removed: [9])

    /// One realistic message of every type that crosses the network.
    static let samples: [Message] = [
        Message(type: .propose, to: 1, from: UInt64.max, entries: [Entry(term: 0, index: 0, data: Array("put".utf8)),
                                                                    Entry(term: 0, index: 0, type: .confChange, data: [1, 2])]),
        Message(type: .append, to: 2, from: 1, term: 7, logTerm: 6, index: 41, entries: [
            Entry(term: 6, index: 42, data: []), Entry(term: 7, index: 43, data: Array(repeating: 0xAB, count: 300)),
        ], commit: 40),
        Message(type: .append, to: 2, from: 1, term: 7, logTerm: 7, index: 43, commit: 43),
        Message(type: .appendResponse, to: 1, from: 2, term: 7, logTerm: 5, index: 43, reject: true, rejectHint: 30),
        Message(type: .vote, to: 3, from: 2, term: 8, logTerm: 7, index: 43, context: Message.campaignTransfer),
        Message(type: .voteResponse, to: 2, from: 3, term: 8, reject: true),
        Message(type: .preVote, to: 3, from: 2, term: 9, logTerm: 7, index: 43),
        Message(type: .preVoteResponse, to: 2, from: 3, term: 9),
        Message(type: .snapshot, to: 3, from: 1, term: 8, chunk: SnapshotChunk(
            metadata: SnapshotMetadata(index: 100, term: 7, confState: membership), offset: 4096, totalSize: 10_000,
            data: Array(repeating: 7, count: 1000))),
        Message(type: .snapshotResponse, to: 1, from: 3, term: 8, index: 100, rejectHint: 5096),
        Message(type: .heartbeat, to: 2, from: 1, term: 8, commit: 43, context: [0, 0, 0, 0, 0, 0, 0, 5]),
        Message(type: .heartbeatResponse, to: 1, from: 2, term: 8, context: [0, 0, 0, 0, 0, 0, 0, 5]),
        Message(type: .readIndex, to: 1, from: 2, context: Array("read-17".utf8)),
        Message(type: .readIndexResponse, to: 2, from: 1, term: 8, index: 43, context: Array("read-17".utf8)),
        Message(type: .transferLeader, to: 1, from: 3, term: 8),
        Message(type: .timeoutNow, to: 3, from: 1, term: 8),
    ]

    @Test func everyMessageTypeRoundTrips() throws {
        for message in Self.samples {
            #expect(try Message(decoding: message.encoded()) == message)
        }
        #expect(try Message.decodeBatch(Message.encodeBatch(Self.samples)) == Self.samples)
        #expect(try Message.decodeBatch(Message.encodeBatch([])) == [])
    }

    @Test func allWireTypesAreCovered() {
        let covered = Set(Self.samples.map(\.type.rawValue))
        let wire = (0...255).compactMap { MessageType(rawValue: UInt8($0)) }.filter { !Message(type: $0).isLocal }
        #expect(Set(wire.map(\.rawValue)) == covered)
    }

    @Test func heartbeatsAreSmall() {
        let heartbeat = Message(type: .heartbeat, to: 0x1234_5678_9ABC_DEF0, from: 0x0FED_CBA9_8765_4321, term: 12, commit: 3000)
        #expect(heartbeat.encoded().count <= 32)
    }

    @Test(arguments: [
        (Message(type: .hup, to: 1, from: 2), "type"),
        (Message(type: .beat, to: 1, from: 2), "type"),
        (Message(type: .unreachable, to: 1, from: 2), "type"),
        (Message(type: .heartbeat, to: 0, from: 2, term: 1), "to"),
        (Message(type: .heartbeat, to: 1, from: 0, term: 1), "from"),
        (Message(type: .heartbeat, to: 1, from: 1, term: 1), "to"),
        (Message(type: .vote, to: 1, from: 2), "term"),
        (Message(type: .preVoteResponse, to: 1, from: 2), "term"),
        (Message(type: .append, to: 1, from: 2), "term"),
        (Message(type: .propose, to: 1, from: 2, term: 3), "term"),
        (Message(type: .readIndex, to: 1, from: 2, term: 3), "term"),
        (Message(type: .heartbeat, to: 1, from: 2, term: 1, commit: UInt64.max), "commit"),
        (Message(type: .appendResponse, to: 1, from: 2, term: 1, index: UInt64.max), "index"),
        (Message(type: .appendResponse, to: 1, from: 2, term: 1, reject: true, rejectHint: UInt64.max), "rejectHint"),
        (Message(type: .heartbeat, to: 1, from: 2, term: 1, entries: [Entry(term: 1, index: 1)]), "entries"),
        (Message(type: .append, to: 1, from: 2, term: 2, index: 5, entries: [Entry(term: 1, index: 5)]), "entries"),
        (Message(type: .append, to: 1, from: 2, term: 2, index: 5, entries: [Entry(term: 1, index: 6), Entry(term: 1, index: 8)]), "entries"),
        (Message(type: .append, to: 1, from: 2, term: 2, logTerm: 2, index: 5, entries: [Entry(term: 1, index: 6)]), "entries"),
        (Message(type: .append, to: 1, from: 2, term: 2, index: 5, entries: [Entry(term: 3, index: 6)]), "entries"),
        (Message(type: .append, to: 1, from: 2, term: 2, logTerm: 3, index: 5), "logTerm"),
        (Message(type: .snapshot, to: 1, from: 2, term: 2), "chunk"),
        (Message(type: .heartbeat, to: 1, from: 2, term: 2, chunk: SnapshotChunk(
            metadata: SnapshotMetadata(index: 1, term: 1, confState: ConfState(voters: [1])), offset: 0, totalSize: 0, data: [])), "chunk"),
        (Message(type: .snapshot, to: 1, from: 2, term: 2, chunk: SnapshotChunk(
            metadata: SnapshotMetadata(index: 1, term: 1, confState: ConfState(voters: [1])), offset: 5, totalSize: 6, data: [1, 2])), "chunk"),
        (Message(type: .snapshot, to: 1, from: 2, term: 2, chunk: SnapshotChunk(
            metadata: SnapshotMetadata(index: 0, term: 1, confState: ConfState(voters: [1])), offset: 0, totalSize: 1, data: [1])), "chunk"),
        (Message(type: .snapshot, to: 1, from: 2, term: 2, chunk: SnapshotChunk(
            metadata: SnapshotMetadata(index: 3, term: 1, confState: ConfState()), offset: 0, totalSize: 1, data: [1])), "chunk"),
        (Message(type: .snapshot, to: 1, from: 2, term: 2, chunk: SnapshotChunk(
            metadata: SnapshotMetadata(index: 3, term: 1, confState: ConfState(voters: [0, 1])), offset: 0, totalSize: 1, data: [1])), "snapshot voters"),
    ])
    func messagesRaftCannotTakeAreRejected(message: Message, field: String) {
        #expect(throws: MessageCodingError.self) { try message.validateForWire() }
        do {
            _ = try Message(decoding: message.encoded())
            Issue.record("decoded \(message)")
        } catch let error {
            switch error {
            case .invalid(let f, _): #expect(f == field, "\(error)")
            default: Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func structuralDamageIsATypedError() {
        let valid = Self.samples[1].encoded()
        #expect(throws: MessageCodingError.unsupportedVersion(9)) { try Message.decodeBatch([9] + valid.dropFirst()) }
        #expect(throws: MessageCodingError.trailingBytes(count: 1)) { try Message(decoding: valid + [0]) }
        #expect(throws: MessageCodingError.truncated(field: "version")) { try Message.decodeBatch([]) }
        var unknownType = valid
        unknownType[2] = 200
        #expect(throws: MessageCodingError.self) { try Message(decoding: unknownType) }
        // A count that claims more messages than the bytes could hold is refused before allocating.
        #expect(throws: MessageCodingError.truncated(field: "messages")) {
            try Message.decodeBatch([1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        }
        // A varint longer than 64 bits.
        #expect(throws: MessageCodingError.self) {
            try Message.decodeBatch([1] + Array(repeating: 0xFF, count: 11) + [0])
        }
    }

    /// Random bytes, bit flips, byte changes, truncations and splices of valid encodings: the
    /// decoder returns or throws, and whatever it returns passes validation and re-encodes to
    /// the same messages.
    @Test func fuzzedInputNeverTraps() {
        var rng = SplitMix64(seed: 0xC0C4_7412)
        let valid = Self.samples.map { $0.encoded() } + [Message.encodeBatch(Self.samples)]
        var decoded = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            let base = valid[Int(rng.next() % UInt64(valid.count))]
            switch round % 5 {
            case 0:
                let count = Int(rng.next() % 200)
                bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if count > 0 && rng.next() % 2 == 0 { bytes[0] = 1 }  // get past the version byte
            case 1:
                bytes = base
                for _ in 0...(rng.next() % 3) {
                    let bit = Int(rng.next() % UInt64(bytes.count * 8))
                    bytes[bit / 8] ^= 1 << (bit % 8)
                }
            case 2:
                bytes = Array(base.prefix(Int(rng.next() % UInt64(base.count))))
            case 3:
                bytes = base
                bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
            default:
                let other = valid[Int(rng.next() % UInt64(valid.count))]
                bytes = Array(base.prefix(Int(rng.next() % UInt64(base.count)))) + other.dropFirst(Int(rng.next() % UInt64(other.count)))
            }
            if let messages = try? Message.decodeBatch(bytes) {
                decoded += 1
                for message in messages {
                    #expect((try? message.validateForWire()) != nil)
                }
                #expect((try? Message.decodeBatch(Message.encodeBatch(messages))) == messages)
            }
        }
        // Some mutations land in data bytes and still decode: the fuzzer reaches past the header.
        #expect(decoded > 0)
    }

    /// Messages that pass the decoder (damaged copies of the samples, and the samples) are fed
    /// to a follower and to a leader: none may trap.
    @Test func decodedMessagesNeverTrapRaft() throws {
        var rng = SplitMix64(seed: 42)
        let valid = Self.samples.map { $0.encoded() }
        for round in 0..<4000 {
            var bytes = valid[round % valid.count]
            if round >= valid.count {
                for _ in 0...(rng.next() % 2) {
                    let bit = Int(rng.next() % UInt64(bytes.count * 8))
                    bytes[bit / 8] ^= 1 << (bit % 8)
                }
            }
            guard var message = try? Message(decoding: bytes) else { continue }
            for makeLeader in [false, true] {
                let (node, storage) = try Self.node(leader: makeLeader)
                message.to = node.id
                if message.from == node.id { message.from = 3 }
                node.step(message)
                Self.persist(node, storage)
            }
        }
    }

    /// Node 1 of the group {1, 2, 3}: a fresh follower, or a leader of term 1.
    private static func node(leader: Bool) throws -> (RaftNode, MemoryRaftStorage) {
        let storage = MemoryRaftStorage(confState: ConfState(voters: [1, 2, 3]))
        let node = try RaftNode(config: RaftConfig(id: 1), storage: storage)
        if leader {
            node.step(Message(type: .hup))
            node.step(Message(type: .preVoteResponse, to: 1, from: 2, term: 1))
            node.step(Message(type: .voteResponse, to: 1, from: 2, term: 1))
            persist(node, storage)
            #expect(node.role == .leader)
        }
        return (node, storage)
    }

    private static func persist(_ node: RaftNode, _ storage: MemoryRaftStorage) {
        while node.hasReady {
            let ready = node.ready()
            if let snapshot = ready.snapshot { storage.applySnapshot(snapshot) }
            if let hardState = ready.hardState { storage.hardState = hardState }
            storage.append(ready.entries)
            node.advance(ready)
        }
    }
}
