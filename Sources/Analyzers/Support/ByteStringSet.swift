/// A fixed set of words looked up by their UTF-8 bytes, so stop-word and ignore-list checks
/// make no `String` per token. Open addressing over FNV-1a hashes, the words in one flat byte
/// array (no retain per probe), and a mask of the word lengths present so most terms are
/// rejected before hashing. Built once per component.
struct ByteStringSet: Sendable {
    private let slots: [Int32]          // index into `starts`, or -1
    private let bytes: [UInt8]
    private let starts: [Int]           // word i is bytes[starts[i]..<starts[i + 1]]
    private let mask: Int
    /// Bit `min(length, 63)` is set when some word has that many bytes.
    private let lengths: UInt64

    init<S: Sequence>(_ strings: S) where S.Element == String {
        var seen = Set<String>()
        var bytes: [UInt8] = []
        var starts = [0]
        var lengths: UInt64 = 0
        for s in strings where seen.insert(s).inserted {
            bytes.append(contentsOf: s.utf8)
            starts.append(bytes.count)
            lengths |= 1 << UInt64(min(s.utf8.count, 63))
        }
        let count = starts.count - 1
        var capacity = 8
        while capacity < count * 2 { capacity *= 2 }
        var slots = [Int32](repeating: -1, count: capacity)
        bytes.withUnsafeBufferPointer { all in
            for i in 0..<count {
                var h = Self.hash(UnsafeBufferPointer(rebasing: all[starts[i]..<starts[i + 1]])) & (capacity - 1)
                while slots[h] >= 0 { h = (h + 1) & (capacity - 1) }
                slots[h] = Int32(i)
            }
        }
        self.slots = slots
        self.bytes = bytes
        self.starts = starts
        self.mask = capacity - 1
        self.lengths = lengths
    }

    var isEmpty: Bool { starts.count == 1 }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    func contains(_ term: UnsafeBufferPointer<UInt8>) -> Bool {
        guard (lengths >> UInt64(min(term.count, 63))) & 1 != 0 else { return false }
        var h = Self.hash(term) & mask
        return slots.withUnsafeBufferPointer { slots in
            bytes.withUnsafeBufferPointer { all in
                while true {
                    let slot = Int(slots[h])
                    if slot < 0 { return false }
                    let start = starts[slot]
                    if starts[slot + 1] - start == term.count {
                        var equal = true
                        for k in 0..<term.count where all[start + k] != term[k] {
                            equal = false
                            break
                        }
                        if equal { return true }
                    }
                    h = (h + 1) & mask
                }
            }
        }
    }
}
