/// Encodes one term's postings into the `.doc` file and its positions into the `.pos` file.
///
/// `.doc`, for a term in two or more documents (a term in one document lives in the term
/// dictionary):
///
/// ```
/// [vint skipLength, skip entries]          only when df >= 128
/// full blocks of 128 documents:
///   u8 docBits | 0x80 if compressed, u8 freqBits, [vint storedLength if compressed],
///   payload = (docDelta - 1) x 128, (freq - 1) x 128, each `LanePacker`-packed
///   (format version 1: `BitPacker`'s sequential layout)
/// tail (df % 128 documents): vint((docDelta - 1) << 1 | freq == 1), [vint freq]
/// ```
///
/// A skip entry per full block and one for a non-empty tail: where the block ends, where its
/// data and positions start, and its impacts (largest frequency, smallest length norm), so a
/// query can skip blocks whatever monotone weighting it uses (Lucene's impacts). Since format
/// version 3 the entries are fixed-width columns, so a cursor finds the block holding a target
/// by comparing last documents, reading nothing else of the blocks it passes:
///
/// ```
/// u8 offsetBytes (4, or 8 when the term's data or positions pass 4 GiB),
/// u32 lastDoc x n, offset dataStart x n (from the first block), [offset posStart x n
/// (from the term's positions)], u32 maxFreq x n, [u8 minNormId x n]      n = blocks
/// ```
///
/// (Versions 1 and 2: per block `vint lastDocDelta, vint docBytes, [vint posBytes],
/// vint maxFreq, [u8 minNormId]`, read by `PostingsIterator` for those files.)
///
/// `.pos`: one positions chunk per block (and tail), a `BlockCompression` block whose payload is
/// `PositionsCodec`.
struct PostingsSerializer {
    static let blockSize = 128

    let hasPositions: Bool
    let hasNorms: Bool
    private var compression: BlockCompression
    private var skip = DataOutput(capacity: 256)
    private var body = DataOutput(capacity: 4096)
    private var packed = DataOutput(capacity: 1024)
    private var positionsOut = DataOutput(capacity: 4096)
    private var chunk = DataOutput(capacity: 1024)
    private var deltas = [UInt32](repeating: 0, count: 128)
    private var freqBuffer = [UInt32](repeating: 0, count: 128)
    private var positionDeltas: [UInt32] = []
    /// The skip columns of the term being written, one entry per block.
    private var skipLastDocs: [UInt32] = []
    private var skipDataStarts: [Int] = []
    private var skipPosStarts: [Int] = []
    private var skipMaxFreqs: [UInt32] = []
    private var skipMinNorms: [UInt8] = []

    init(codec: any Codec, hasPositions: Bool, hasNorms: Bool) {
        self.compression = BlockCompression(codec: codec)
        self.hasPositions = hasPositions
        self.hasNorms = hasNorms
    }

    /// Writes a term's postings. `positions` holds each document's positions, ascending, one
    /// document after the other (`freqs[i]` of them for document i); empty without positions.
    /// `norms` (indexed by doc) gives the impacts' smallest norm.
    mutating func write(docs: UnsafeBufferPointer<UInt32>, freqs: UnsafeBufferPointer<UInt32>, positions: UnsafeBufferPointer<UInt32>,
                        norms: UnsafeBufferPointer<UInt8>?, docOutput: IndexOutput, posOutput: IndexOutput?) throws -> TermInfo {
        let df = docs.count
        precondition(df > 0 && freqs.count == df)
        var ttf: Int64 = 0
        for f in freqs { ttf += Int64(f) }
        let positionsOffset = posOutput?.position ?? 0
        if df == 1 {
            if hasPositions, let posOutput { try writePositionsChunk(freqs: freqs, positions: positions, to: posOutput) }
            return TermInfo(docFreq: 1, totalTermFreq: ttf, postingsOffset: 0, positionsOffset: positionsOffset, singleDoc: Int32(docs[0]))
        }
        let postingsOffset = docOutput.position
        skip.removeAll()
        body.removeAll()
        positionsOut.removeAll()
        let fullBlocks = df / Self.blockSize
        var previous: Int64 = -1
        var posIndex = 0
        skipLastDocs.removeAll(keepingCapacity: true)
        skipDataStarts.removeAll(keepingCapacity: true)
        skipPosStarts.removeAll(keepingCapacity: true)
        skipMaxFreqs.removeAll(keepingCapacity: true)
        skipMinNorms.removeAll(keepingCapacity: true)
        var start = 0
        while start < df {
            let end = min(start + Self.blockSize, df)
            let bodyStart = body.count
            let posStart = positionsOut.count
            var maxFreq: UInt32 = 0
            var minNorm: UInt8 = 255
            if end - start == Self.blockSize {
                deltas.withUnsafeMutableBufferPointer { d in
                    freqBuffer.withUnsafeMutableBufferPointer { f in
                        for i in 0..<Self.blockSize {
                            let doc = Int64(docs[start + i])
                            d[i] = UInt32(doc - previous - 1)
                            previous = doc
                            f[i] = freqs[start + i] - 1
                        }
                    }
                }
                try writeBlock()
            } else {
                for i in start..<end {
                    let doc = Int64(docs[i])
                    let delta = UInt64(doc - previous - 1)
                    previous = doc
                    if freqs[i] == 1 {
                        body.writeVInt(delta << 1 | 1)
                    } else {
                        body.writeVInt(delta << 1)
                        body.writeVInt(UInt64(freqs[i]))
                    }
                }
            }
            for i in start..<end {
                maxFreq = max(maxFreq, freqs[i])
                if let norms { minNorm = min(minNorm, norms[Int(docs[i])]) }
            }
            if hasPositions {
                var count = 0
                for i in start..<end { count += Int(freqs[i]) }
                try encodePositions(freqs: UnsafeBufferPointer(rebasing: freqs[start..<end]),
                                    positions: UnsafeBufferPointer(rebasing: positions[posIndex..<posIndex + count]))
                posIndex += count
            }
            if fullBlocks > 0 {
                skipLastDocs.append(UInt32(previous))
                skipDataStarts.append(bodyStart)
                skipPosStarts.append(posStart)
                skipMaxFreqs.append(maxFreq)
                skipMinNorms.append(norms == nil ? 0 : minNorm)
            }
            start = end
        }
        if fullBlocks > 0 {
            writeSkipColumns()
            var header = DataOutput()
            header.writeVInt(skip.count)
            try docOutput.write(header)
            try docOutput.write(skip)
        }
        try docOutput.write(body)
        if hasPositions, let posOutput { try posOutput.write(positionsOut) }
        return TermInfo(docFreq: Int32(df), totalTermFreq: ttf, postingsOffset: postingsOffset, positionsOffset: positionsOffset)
    }

    /// The skip entries as columns (the layout above), into `skip`.
    private mutating func writeSkipColumns() {
        skip.removeAll()
        let wide = body.count > Int(UInt32.max) || positionsOut.count > Int(UInt32.max)
        skip.writeByte(wide ? 8 : 4)
        for d in skipLastDocs { skip.writeUInt32(d) }
        func offsets(_ list: [Int]) {
            for o in list {
                if wide { skip.writeUInt64(UInt64(o)) } else { skip.writeUInt32(UInt32(o)) }
            }
        }
        offsets(skipDataStarts)
        if hasPositions { offsets(skipPosStarts) }
        for f in skipMaxFreqs { skip.writeUInt32(f) }
        if hasNorms { skip.writeBytes(skipMinNorms) }
    }

    private mutating func writeBlock() throws {
        let docBits = deltas.withUnsafeBufferPointer { BitPacker.bitsNeeded($0) }
        let freqBits = freqBuffer.withUnsafeBufferPointer { BitPacker.bitsNeeded($0) }
        packed.removeAll()
        deltas.withUnsafeBufferPointer { LanePacker.pack($0, bits: docBits, into: &packed) }
        freqBuffer.withUnsafeBufferPointer { LanePacker.pack($0, bits: freqBits, into: &packed) }
        var framed = DataOutput(capacity: packed.count + 8)
        try compression.append(packed.bytes, to: &framed)
        if framed.bytes.first.map({ $0 & 1 == 1 }) == true {
            // Compressed: keep the codec framing after the bit widths.
            body.writeByte(UInt8(docBits) | 0x80)
            body.writeByte(UInt8(freqBits))
            body.writeBytes(framed.bytes)
        } else {
            body.writeByte(UInt8(docBits))
            body.writeByte(UInt8(freqBits))
            body.writeBytes(packed.bytes)
        }
    }

    private mutating func encodePositions(freqs: UnsafeBufferPointer<UInt32>, positions: UnsafeBufferPointer<UInt32>) throws {
        positionDeltas.removeAll(keepingCapacity: true)
        var p = 0
        for f in freqs {
            var last: UInt32 = 0
            for _ in 0..<Int(f) {
                let pos = positions[p]
                positionDeltas.append(pos &- last)
                last = pos
                p += 1
            }
        }
        chunk.removeAll()
        positionDeltas.withUnsafeBufferPointer { PositionsCodec.encode($0, into: &chunk) }
        try compression.append(chunk.bytes, to: &positionsOut)
    }

    private mutating func writePositionsChunk(freqs: UnsafeBufferPointer<UInt32>, positions: UnsafeBufferPointer<UInt32>, to output: IndexOutput) throws {
        positionsOut.removeAll()
        try encodePositions(freqs: freqs, positions: positions)
        try output.write(positionsOut)
    }
}
