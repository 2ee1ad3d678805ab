/// The in-memory inverted index of one field of the segment being built: term ids from the
/// `TermHash`, and per term a doc stream and a positions stream in a `ByteSlicePool`.
///
/// Doc stream entries are written when the term's next document starts (or at flush), since
/// the frequency is known only then: `vint((docDelta - 1) << 1 | freq == 1), [vint freq]`.
/// Positions are written as they come, as deltas within the document.
struct FieldIndexer: Sendable {
    struct TermState: Sendable {
        var docs = ByteSlicePool.Cursor()
        var positions = ByteSlicePool.Cursor()
        var currentDoc: Int32 = -1
        var lastWrittenDoc: Int32 = -1
        var freq: Int32 = 0
        var lastPosition: Int32 = 0
        var docFreq: Int32 = 0
    }

    let hasPositions: Bool
    var terms = TermHash()
    var states: [TermState] = []
    var pool = ByteSlicePool()

    init(hasPositions: Bool) {
        self.hasPositions = hasPositions
    }

    var ramBytes: Int { terms.ramBytes + states.count * MemoryLayout<TermState>.stride + pool.ramBytes }

    /// Records one occurrence of `term` in `doc` at `position`.
    @inline(__always)
    mutating func add(_ term: UnsafeRawBufferPointer, doc: Int32, position: Int32) {
        let (id, isNew) = terms.intern(term)
        let t = Int(id)
        if isNew {
            var state = TermState()
            state.docs = pool.start()
            if hasPositions { state.positions = pool.start() }
            states.append(state)
        }
        if states[t].currentDoc != doc {
            if states[t].currentDoc >= 0 { writeDocEntry(t) }
            states[t].currentDoc = doc
            states[t].freq = 0
            states[t].lastPosition = 0
            states[t].docFreq += 1
        }
        states[t].freq += 1
        if hasPositions {
            let delta = UInt32(truncatingIfNeeded: position - states[t].lastPosition)
            states[t].lastPosition = position
            pool.writeVInt(delta, &states[t].positions)
        }
    }

    @inline(__always)
    private mutating func writeDocEntry(_ t: Int) {
        let s = states[t]
        let delta = UInt32(s.currentDoc - s.lastWrittenDoc - 1)
        if s.freq == 1 {
            pool.writeVInt(delta << 1 | 1, &states[t].docs)
        } else {
            pool.writeVInt(delta << 1, &states[t].docs)
            pool.writeVInt(UInt32(s.freq), &states[t].docs)
        }
        states[t].lastWrittenDoc = s.currentDoc
    }

    /// Decodes term `t`'s postings into the given arrays (replacing their contents):
    /// documents, frequencies, and each document's absolute positions one after the other.
    func read(_ t: Int, docs: inout [UInt32], freqs: inout [UInt32], positions: inout [UInt32]) {
        docs.removeAll(keepingCapacity: true)
        freqs.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
        let s = states[t]
        pool.bytes.withUnsafeBufferPointer { p in
            var reader = ByteSlicePool.Reader(pool: p, cursor: s.docs)
            var last: Int64 = -1
            while !reader.isAtEnd {
                let v = reader.readVInt()
                last += Int64(v >> 1) + 1
                docs.append(UInt32(last))
                freqs.append(v & 1 == 1 ? 1 : reader.readVInt())
            }
            if s.currentDoc >= 0 {
                docs.append(UInt32(s.currentDoc))
                freqs.append(UInt32(s.freq))
            }
            if hasPositions {
                var positionsReader = ByteSlicePool.Reader(pool: p, cursor: s.positions)
                for f in freqs {
                    var pos: UInt32 = 0
                    for _ in 0..<Int(f) {
                        pos &+= positionsReader.readVInt()
                        positions.append(pos)
                    }
                }
            }
        }
    }
}
