extension TermDictionary {
    /// What `fastScan` found.
    enum FastScan {
        case found(TermInfo)
        case absent
        /// Something did not parse as a well-formed block: the checked `scan` reads it again
        /// and names the error.
        case malformed
    }

    /// `scan` straight from memory: variable-length integers read through a raw pointer with
    /// one bounds test per byte instead of the checked `DataInput` calls (a lookup is a linear
    /// pass over up to 32 entries of six integers each, and every query term pays for one per
    /// field and segment). The same limits are checked; any violation is `.malformed`.
    func fastScan(_ raw: UnsafeRawBufferPointer, block b: Int, for target: [UInt8]) -> FastScan {
        guard let base = raw.baseAddress else { return .malformed }
        let n = raw.count
        let hasPositions = self.hasPositions
        var lastPostings = postingsBases[b]
        var lastPositions = positionsBases[b]
        let count = blockTermCounts[b]
        return target.withUnsafeBufferPointer { t -> FastScan in
            var p = 0
            @inline(__always) func vint(max limit: UInt64) -> Int? {
                var result: UInt64 = 0
                var shift: UInt64 = 0
                while p < n && shift < 64 {
                    let byte = base.load(fromByteOffset: p, as: UInt8.self)
                    p &+= 1
                    // A tenth byte may only carry the 64th bit (as `DataInput.readVInt`).
                    if shift == 63 && byte > 1 { return nil }
                    result |= UInt64(byte & 0x7F) &<< shift
                    if byte < 0x80 { return result <= limit ? Int(result) : nil }
                    shift &+= 7
                }
                return nil
            }
            var matched = 0
            var previousLength = 0
            for _ in 0..<count {
                guard let prefix = vint(max: UInt64(previousLength)),
                      let suffixLength = vint(max: 1 << 16), suffixLength <= n - p else { return .malformed }
                let suffix = p
                p += suffixLength
                previousLength = prefix + suffixLength
                guard let df = vint(max: UInt64(Int32.max)), let extra = vint(max: UInt64(Int64.max / 2)) else { return .malformed }
                var single: Int32 = -1
                if df == 1 {
                    guard let d = vint(max: UInt64(Int32.max)) else { return .malformed }
                    single = Int32(d)
                } else {
                    guard let delta = vint(max: UInt64(Int32.max) * 64) else { return .malformed }
                    lastPostings += delta
                }
                if hasPositions {
                    guard let delta = vint(max: UInt64(Int32.max) * 64) else { return .malformed }
                    lastPositions += delta
                }
                // As in `scan`: the shared prefix against what the previous term shared with
                // the target decides most entries.
                if prefix > matched { continue }
                if prefix < matched { return .absent }
                let rest = t.count - matched
                var j = 0
                while j < suffixLength && j < rest && base.load(fromByteOffset: suffix + j, as: UInt8.self) == t[matched + j] { j += 1 }
                if j == rest {
                    guard j == suffixLength else { return .absent }
                    return .found(TermInfo(docFreq: Int32(df), totalTermFreq: Int64(df) + Int64(extra),
                                           postingsOffset: df == 1 ? 0 : lastPostings,
                                           positionsOffset: hasPositions ? lastPositions : 0, singleDoc: single))
                }
                if j < suffixLength && base.load(fromByteOffset: suffix + j, as: UInt8.self) > t[matched + j] { return .absent }
                matched += j
            }
            return .absent
        }
    }
}
