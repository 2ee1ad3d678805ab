/// One character class of a regular expression (`\w`, `[^\W_]`, `[^ \t\r\n]`...), compiled
/// for the scanners: ASCII membership is a 128-bit table, anything else is decided from the
/// class's items with Python's Unicode semantics.
struct CharacterClass: Sendable, Equatable {
    enum Item: Sendable, Equatable {
        case word, notWord, space, notSpace, digit, notDigit
        case range(UInt32, UInt32)

        func contains(_ s: UInt32) -> Bool {
            switch self {
            case .word: PythonCharacterClasses.isWord(s)
            case .notWord: !PythonCharacterClasses.isWord(s)
            case .space: PythonCharacterClasses.isSpace(s)
            case .notSpace: !PythonCharacterClasses.isSpace(s)
            case .digit: PythonCharacterClasses.isDecimal(s)
            case .notDigit: !PythonCharacterClasses.isDecimal(s)
            case .range(let lo, let hi): s >= lo && s <= hi
            }
        }
    }

    let items: [Item]
    let negated: Bool
    /// Membership of the ASCII characters, negation applied: bit `c` of `low` for c < 64,
    /// bit `c - 64` of `high` otherwise.
    let low: UInt64
    let high: UInt64
    /// Per byte: 1 for an ASCII member, 0 for an ASCII non-member, 2 for a byte that starts or
    /// continues a multi-byte character (decode and ask `containsNonASCII`). One load per byte
    /// in the scanners' inner loops.
    let byteTable: [UInt8]
    /// The eight-bytes-at-a-time classifier when this class is `[^\W_]` or `\w` on ASCII.
    let wordMask: ASCIIWordMask?

    init(items: [Item], negated: Bool) {
        self.items = items
        self.negated = negated
        var low: UInt64 = 0
        var high: UInt64 = 0
        for c in UInt32(0)..<128 where items.contains(where: { $0.contains(c) }) != negated {
            if c < 64 { low |= 1 << UInt64(c) } else { high |= 1 << UInt64(c - 64) }
        }
        self.low = low
        self.high = high
        var table = [UInt8](repeating: 2, count: 256)
        for c in 0..<128 {
            table[c] = (c < 64 ? (low >> UInt64(c)) & 1 : (high >> UInt64(c - 64)) & 1) != 0 ? 1 : 0
        }
        self.byteTable = table
        self.wordMask = ASCIIWordMask(low: low, high: high)
    }

    /// Membership of an ASCII byte (`byte < 0x80`).
    @inline(__always)
    func containsASCII(_ byte: UInt8) -> Bool {
        byte < 64 ? (low >> UInt64(byte)) & 1 != 0 : (high >> UInt64(byte &- 64)) & 1 != 0
    }

    /// Membership of any scalar.
    @inline(__always)
    func contains(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 { return containsASCII(UInt8(scalar)) }
        return containsNonASCII(scalar)
    }

    func containsNonASCII(_ scalar: UInt32) -> Bool {
        var found = false
        for item in items where item.contains(scalar) {
            found = true
            break
        }
        return found != negated
    }
}
