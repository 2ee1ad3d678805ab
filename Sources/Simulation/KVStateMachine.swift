import Core

/// The small key-value state machine the simulation runs on top of Raft: writes set a key to a
/// value, tagged with a unique operation id so a duplicated proposal applies once (the session
/// de-duplication a real state machine needs, since the network can duplicate a forwarded
/// proposal).
struct KVStateMachine: Equatable {
    var values: [UInt64: UInt64] = [:]
    var appliedOperations: Set<UInt64> = []

    struct Write: Equatable {
        var operation: UInt64
        var key: UInt64
        var value: UInt64
    }

    static func encode(_ write: Write) -> [UInt8] {
        var bytes: [UInt8] = []
        for v in [write.operation, write.key, write.value] {
            withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    static func decode(_ bytes: [UInt8]) -> Write? {
        let words = Self.words(bytes)
        guard words.count == 3 else { return nil }
        return Write(operation: words[0], key: words[1], value: words[2])
    }

    /// Little-endian 64-bit words; empty unless `bytes` is a whole number of them.
    static func words(_ bytes: [UInt8]) -> [UInt64] {
        guard bytes.count % 8 == 0 else { return [] }
        var words: [UInt64] = []
        for i in stride(from: 0, to: bytes.count, by: 8) {
            var word: UInt64 = 0
            for j in 0..<8 { word |= UInt64(bytes[i + j]) << UInt64(8 * j) }
            words.append(word)
        }
        return words
    }

    /// Applies a committed entry's payload; returns the write if it took effect.
    @discardableResult
    mutating func apply(_ data: [UInt8]) -> Write? {
        guard let write = Self.decode(data), !appliedOperations.contains(write.operation) else { return nil }
        appliedOperations.insert(write.operation)
        values[write.key] = write.value
        return write
    }

    func snapshot() -> [UInt8] {
        var words: [UInt64] = [UInt64(values.count)]
        for key in values.keys.sorted() { words += [key, values[key] ?? 0] }
        words.append(UInt64(appliedOperations.count))
        words += appliedOperations.sorted()
        var bytes: [UInt8] = []
        for v in words { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        return bytes
    }

    static func restore(_ bytes: [UInt8]) -> KVStateMachine? {
        if bytes.isEmpty { return KVStateMachine() }
        let words = Self.words(bytes)
        var kv = KVStateMachine()
        var i = 0
        guard let count = words.first, words.count >= 1 + 2 * Int(count) + 1 else { return nil }
        i = 1
        for _ in 0..<count {
            kv.values[words[i]] = words[i + 1]
            i += 2
        }
        let ops = Int(words[i])
        i += 1
        guard words.count == i + ops else { return nil }
        kv.appliedOperations = Set(words[i...])
        return kv
    }
}
