/// The framing and payload of one record in a Raft log segment.
///
/// A record is `[u32 payload length][u64 XXH64 of the payload][payload]`, and its payload is a
/// batch: an optional hard state and the entries appended since the previous record. Each sync
/// writes exactly one record, so the unsynced tail a power loss can damage is at most the last
/// record of the last segment; damage anywhere else is corruption.
struct LogRecord: Equatable {
    var hardState: HardState?
    var entries: [Entry]

    static let headerSize = 12
    static let kindBatch: UInt8 = 1

    /// The framed bytes, ready to append to a segment.
    func framed() -> [UInt8] {
        var payload = ByteWriter()
        payload.u8(Self.kindBatch)
        if let hardState {
            payload.u8(1)
            payload.u64(hardState.term)
            payload.u64(hardState.vote)
            payload.u64(hardState.commit)
        } else {
            payload.u8(0)
        }
        payload.u32(UInt32(entries.count))
        for entry in entries {
            payload.u64(entry.term)
            payload.u64(entry.index)
            payload.u8(entry.type.rawValue)
            payload.bytes(entry.data)
        }
        var frame = ByteWriter()
        frame.u32(UInt32(payload.output.count))
        frame.u64(payload.output.withUnsafeBytes { Checksum.hash($0) })
        frame.output.append(contentsOf: payload.output)
        return frame.output
    }

    /// Decodes a payload whose checksum matched; nil if its structure is invalid.
    static func decode(payload: [UInt8]) -> LogRecord? {
        var reader = ByteReader(payload)
        guard reader.u8() == kindBatch, let hasHardState = reader.u8() else { return nil }
        var hardState: HardState?
        if hasHardState == 1 {
            guard let term = reader.u64(), let vote = reader.u64(), let commit = reader.u64() else { return nil }
            hardState = HardState(term: term, vote: vote, commit: commit)
        } else if hasHardState != 0 {
            return nil
        }
        guard let count = reader.u32() else { return nil }
        var entries: [Entry] = []
        entries.reserveCapacity(Int(min(count, 1 << 16)))
        for _ in 0..<count {
            guard let term = reader.u64(), let index = reader.u64(), let rawType = reader.u8(),
                  let type = EntryType(rawValue: rawType), let data = reader.bytes() else { return nil }
            entries.append(Entry(term: term, index: index, type: type, data: data))
        }
        guard reader.isAtEnd else { return nil }
        return LogRecord(hardState: hardState, entries: entries)
    }
}
