/// Iterates one term's documents in one segment, with frequencies, positions and block
/// impacts; the query engine's basic cursor.
///
/// `doc` starts at -1; `next()` and `advance(to:)` return the new document or
/// `PostingsIterator.noMoreDocs`. `advance(to:)` skips whole blocks through the skip data
/// without decoding them; `advanceShallow(to:)` moves only the skip cursor, so a block-max
/// scorer can read `blockMaxFreq`/`blockMinNorm` of the block that holds a target and decide
/// whether to decode it. Deleted documents are returned too: filter them with the segment's
/// `LiveDocs`. A value type holding no locks: use one per thread.
public struct PostingsIterator {
    public static let noMoreDocs = Int32.max

    let docFile: ReadOnlyFile
    let posFile: ReadOnlyFile?
    let codec: any Codec
    let hasNorms: Bool
    /// Documents containing the term.
    public let docFreq: Int32

    /// The current document (-1 before the first `next()`).
    public private(set) var doc: Int32 = -1
    private var docs = [UInt32](repeating: 0, count: 128)
    private var freqs = [UInt32](repeating: 0, count: 128)
    private var count = 0
    private var index = -1
    private var decoded = false
    /// Blocks left to visit after the current one.
    private var blocksLeft = 0
    private var fullBlocksLeft = 0
    private var hasSkip = false
    private var skipInput: DataInput
    private var skipEnd = 0
    /// Where the next block's data and positions chunk start.
    private var nextBlockData = 0
    private var nextBlockPositions = 0
    private var blockData = 0
    private var blockPositions = 0
    private var blockIsFull = false
    private var previousLastDoc: Int32 = -1
    private var lastSkipDoc: Int64 = 0
    private var scratch: [UInt8] = []
    private var positionBuffer: [UInt32] = []
    private var positionStarts: [Int] = []
    private var positionsDecoded = false
    private var singleDocPositions = -1

    /// The last document of the current block (from skip data, before decoding it).
    public private(set) var blockLastDoc: Int32 = -1
    /// The largest term frequency in the current block.
    public private(set) var blockMaxFreq: Int32 = .max
    /// The smallest length-norm id in the current block (0 when unknown: a safe bound).
    public private(set) var blockMinNorm: UInt8 = 0

    init(info: TermInfo, docFile: ReadOnlyFile, posFile: ReadOnlyFile?, codec: any Codec, hasNorms: Bool) throws(SegmentError) {
        self.docFile = docFile
        self.posFile = posFile
        self.codec = codec
        self.hasNorms = hasNorms
        self.docFreq = info.docFreq
        skipInput = DataInput(docFile.bytes, file: docFile.path)
        if info.docFreq == 1 {
            docs[0] = UInt32(bitPattern: info.singleDoc)
            freqs[0] = UInt32(truncatingIfNeeded: info.totalTermFreq)
            count = 1
            decoded = true
            blockLastDoc = info.singleDoc
            blockMaxFreq = Int32(truncatingIfNeeded: info.totalTermFreq)
            blockPositions = info.positionsOffset
            return
        }
        let df = Int(info.docFreq)
        fullBlocksLeft = df / 128
        blocksLeft = fullBlocksLeft + (df % 128 > 0 ? 1 : 0)
        nextBlockPositions = info.positionsOffset
        do {
            try skipInput.seek(info.postingsOffset)
            if fullBlocksLeft > 0 {
                hasSkip = true
                let length = try skipInput.readVInt(max: docFile.count)
                skipEnd = skipInput.position + length
                nextBlockData = skipEnd
                guard skipEnd <= docFile.count else { throw skipInput.corrupt("skip data past the end of the file") }
            } else {
                nextBlockData = info.postingsOffset
            }
        } catch {
            throw SegmentError.wrap(error, file: docFile.path)
        }
        try moveToNextBlock()
        if !hasSkip { try decodeBlock() }
    }

    /// The current document's frequency of the term.
    public var freq: Int32 { Int32(truncatingIfNeeded: freqs[max(index, 0)]) }

    /// Moves to the next block's skip entry without decoding it; false when none is left.
    private mutating func moveToNextBlock() throws(SegmentError) {
        guard blocksLeft > 0 else {
            count = 0
            index = 0
            blockLastDoc = Self.noMoreDocs
            return
        }
        blocksLeft -= 1
        previousLastDoc = blockLastDoc
        blockData = nextBlockData
        blockPositions = nextBlockPositions
        blockIsFull = fullBlocksLeft > 0
        if blockIsFull { fullBlocksLeft -= 1 }
        decoded = false
        positionsDecoded = false
        if hasSkip {
            do {
                lastSkipDoc += Int64(try skipInput.readVInt(max: Int(Int32.max)))
                nextBlockData += try skipInput.readVInt(max: docFile.count)
                if posFile != nil { nextBlockPositions += try skipInput.readVInt(max: Int(Int32.max) * 64) }
                blockMaxFreq = Int32(try skipInput.readVInt(max: Int(Int32.max)))
                blockMinNorm = hasNorms ? try skipInput.readByte() : 0
                guard skipInput.position <= skipEnd else { throw skipInput.corrupt("skip entry past the skip data") }
            } catch {
                throw SegmentError.wrap(error, file: docFile.path)
            }
            blockLastDoc = Int32(lastSkipDoc)
        }
    }

    private mutating func decodeBlock() throws(SegmentError) {
        var input = DataInput(docFile.bytes, file: docFile.path, position: blockData)
        var last = Int64(previousLastDoc)
        do {
            if blockIsFull {
                let first = try input.readByte()
                let docBits = Int(first & 0x7F)
                let freqBits = Int(try input.readByte())
                guard docBits <= 32, freqBits <= 32 else { throw input.corrupt("bit widths \(docBits)/\(freqBits)") }
                let size = BitPacker.byteCount(count: 128, bits: docBits) + BitPacker.byteCount(count: 128, bits: freqBits)
                let payload: UnsafeRawBufferPointer
                if first & 0x80 != 0 {
                    try BlockCompression.read(&input, codec: codec, into: &scratch, maxSize: 1 << 12)
                    guard scratch.count == size else { throw input.corrupt("postings block of \(scratch.count) bytes, expected \(size)") }
                    payload = scratch.withUnsafeBytes { $0 }
                } else {
                    payload = try input.readSlice(size)
                }
                let docBytes = BitPacker.byteCount(count: 128, bits: docBits)
                docs.withUnsafeMutableBufferPointer { d in
                    freqs.withUnsafeMutableBufferPointer { f in
                        if let base = payload.baseAddress {
                            BitPacker.unpack(base, count: 128, bits: docBits, into: d.baseAddress!)
                            BitPacker.unpack(base + docBytes, count: 128, bits: freqBits, into: f.baseAddress!)
                        } else {
                            d.update(repeating: 0)
                            f.update(repeating: 0)
                        }
                        for i in 0..<128 {
                            last += Int64(d[i]) + 1
                            d[i] = UInt32(truncatingIfNeeded: last)
                            f[i] += 1
                        }
                    }
                }
                guard last < Int64(Int32.max) else { throw input.corrupt("document id overflow") }
                count = 128
            } else {
                let n = Int(docFreq) % 128
                for i in 0..<n {
                    let v = try input.readVInt()
                    last += Int64(v >> 1) + 1
                    guard last < Int64(Int32.max) else { throw input.corrupt("document id overflow") }
                    docs[i] = UInt32(last)
                    freqs[i] = v & 1 == 1 ? 1 : UInt32(truncatingIfNeeded: try input.readVInt(max: Int(Int32.max)))
                }
                count = n
                if !hasSkip {
                    blockLastDoc = Int32(last)
                    var m: UInt32 = 0
                    for i in 0..<n { m = max(m, freqs[i]) }
                    blockMaxFreq = Int32(m)
                }
            }
        } catch let e as SegmentError {
            throw e
        } catch {
            throw SegmentError.wrap(error, file: docFile.path)
        }
        decoded = true
        index = -1
    }

    /// Moves to the next document.
    @discardableResult
    public mutating func next() throws(SegmentError) -> Int32 {
        if !decoded {
            if count == 0 && blocksLeft == 0 && blockLastDoc == Self.noMoreDocs { doc = Self.noMoreDocs; return doc }
            try decodeBlock()
        }
        index += 1
        if index < count {
            doc = Int32(bitPattern: docs[index])
            return doc
        }
        guard blocksLeft > 0 else {
            doc = Self.noMoreDocs
            index = max(count - 1, 0)
            return doc
        }
        try moveToNextBlock()
        try decodeBlock()
        index = 0
        doc = Int32(bitPattern: docs[0])
        return doc
    }

    /// Moves to the first document >= `target` (which must be greater than `doc`).
    @discardableResult
    public mutating func advance(to target: Int32) throws(SegmentError) -> Int32 {
        if doc >= target { return doc }
        try advanceShallow(to: target)
        if blockLastDoc == Self.noMoreDocs && count == 0 { doc = Self.noMoreDocs; return doc }
        if !decoded { try decodeBlock() }
        while true {
            index += 1
            if index >= count { break }
            let d = Int32(bitPattern: docs[index])
            if d >= target { doc = d; return doc }
        }
        // Only reached when the target is past this block's last document.
        guard blocksLeft > 0 else { doc = Self.noMoreDocs; index = max(count - 1, 0); return doc }
        try moveToNextBlock()
        try decodeBlock()
        return try advance(to: target)
    }

    /// Moves the skip cursor to the block that may contain `target` without decoding
    /// documents; returns that block's last document (`noMoreDocs` past the end). Block
    /// impacts then describe that block.
    @discardableResult
    public mutating func advanceShallow(to target: Int32) throws(SegmentError) -> Int32 {
        while blockLastDoc < target && blocksLeft > 0 && hasSkip {
            try moveToNextBlock()
        }
        return blockLastDoc
    }

    /// The positions of the term in the current document, ascending, into `output`
    /// (replacing its contents). Empty when the field has no positions.
    public mutating func positions(into output: inout [UInt32]) throws(SegmentError) {
        output.removeAll(keepingCapacity: true)
        guard let posFile, doc >= 0, doc != Self.noMoreDocs else { return }
        if !positionsDecoded {
            var input = DataInput(posFile.bytes, file: posFile.path, position: blockPositions)
            try BlockCompression.read(&input, codec: codec, into: &scratch, maxSize: 1 << 30)
            var total = 0
            positionStarts.removeAll(keepingCapacity: true)
            for i in 0..<count {
                positionStarts.append(total)
                total += Int(freqs[i])
            }
            positionStarts.append(total)
            let path = posFile.path
            let raw = scratch
            var decodedPositions: [UInt32] = []
            swap(&decodedPositions, &positionBuffer)
            let r: Result<Void, SegmentError> = raw.withUnsafeBytes { p in
                Result { () throws(SegmentError) in try PositionsCodec.decode(p, count: total, into: &decodedPositions, file: path) }
            }
            positionBuffer = decodedPositions
            try r.get()
            // Deltas to absolute positions, per document.
            for i in 0..<count {
                var acc: UInt32 = 0
                for j in positionStarts[i]..<positionStarts[i + 1] {
                    acc &+= positionBuffer[j]
                    positionBuffer[j] = acc
                }
            }
            positionsDecoded = true
        }
        let i = index
        guard i >= 0 && i < count else { return }
        output.append(contentsOf: positionBuffer[positionStarts[i]..<positionStarts[i + 1]])
    }
}
