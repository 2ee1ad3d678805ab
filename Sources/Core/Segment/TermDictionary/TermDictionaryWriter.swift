/// Writes one field's sorted terms into the `.ter` file: blocks of up to `blockSize` terms,
/// prefix compressed against the previous term, each block through the codec (when it saves
/// 10%), followed by the block index (each block's first term and offsets) that the reader
/// loads into memory.
///
/// Block entry: `vint prefix, vint suffixLength, suffix, vint docFreq, vint (ttf - df)`, then
/// `vint doc` when df == 1 (the postings are inlined) or `vint postingsDelta`, then
/// `vint positionsDelta` when the field has positions. Deltas restart at each block's bases.
struct TermDictionaryWriter {
    static let blockSize = 32
    /// The most terms a block may hold for readers: more than this build writes, since
    /// format 1 wrote 64.
    static let maxReadableBlockSize = 128

    let hasPositions: Bool
    private var compression: BlockCompression
    private var block = DataOutput(capacity: 4096)
    private var termsInBlock = 0
    private var previousTerm: [UInt8] = []
    private var lastPostings = 0
    private var lastPositions = 0
    /// The block index: first term, block offset, and the postings/positions bases.
    private var index = DataOutput(capacity: 4096)
    private var blockCount = 0
    private var lastBlockOffset = 0
    private var blockFirstTerm: [UInt8] = []
    private var blockPostingsBase = 0
    private var blockPositionsBase = 0
    private var prevIndexPostings = 0
    private var prevIndexPositions = 0
    private(set) var termCount = 0

    init(codec: any Codec, hasPositions: Bool) {
        self.compression = BlockCompression(codec: codec)
        self.hasPositions = hasPositions
    }

    mutating func add(_ term: UnsafeRawBufferPointer, _ info: TermInfo, output: IndexOutput) throws {
        if termsInBlock == 0 {
            blockFirstTerm = Array(term)
            blockPostingsBase = info.docFreq == 1 ? lastPostings : info.postingsOffset
            blockPositionsBase = info.positionsOffset
            lastPostings = blockPostingsBase
            lastPositions = blockPositionsBase
            previousTerm.removeAll(keepingCapacity: true)
        }
        var prefix = 0
        let limit = min(previousTerm.count, term.count)
        while prefix < limit && previousTerm[prefix] == term[prefix] { prefix += 1 }
        block.writeVInt(prefix)
        block.writeVInt(term.count - prefix)
        block.writeBytes(UnsafeRawBufferPointer(rebasing: term[prefix...]))
        block.writeVInt(Int(info.docFreq))
        block.writeVInt(UInt64(info.totalTermFreq - Int64(info.docFreq)))
        if info.docFreq == 1 {
            block.writeVInt(Int(info.singleDoc))
        } else {
            block.writeVInt(info.postingsOffset - lastPostings)
            lastPostings = info.postingsOffset
        }
        if hasPositions {
            block.writeVInt(info.positionsOffset - lastPositions)
            lastPositions = info.positionsOffset
        }
        previousTerm.removeAll(keepingCapacity: true)
        previousTerm.append(contentsOf: term)
        termsInBlock += 1
        termCount += 1
        if termsInBlock == Self.blockSize { try flushBlock(output) }
    }

    private mutating func flushBlock(_ output: IndexOutput) throws {
        guard termsInBlock > 0 else { return }
        let offset = output.position
        index.writeLengthPrefixed(blockFirstTerm)
        index.writeVInt(offset - lastBlockOffset)
        index.writeVInt(termsInBlock)
        index.writeZInt(Int64(blockPostingsBase - prevIndexPostings))
        index.writeZInt(Int64(blockPositionsBase - prevIndexPositions))
        lastBlockOffset = offset
        prevIndexPostings = blockPostingsBase
        prevIndexPositions = blockPositionsBase
        var framed = DataOutput(capacity: block.count + 8)
        try compression.append(block.bytes, to: &framed)
        try output.write(framed)
        block.removeAll()
        termsInBlock = 0
        blockCount += 1
    }

    /// Flushes the last block and writes the block index; returns the index's offset.
    mutating func finish(output: IndexOutput) throws -> Int {
        try flushBlock(output)
        let indexOffset = output.position
        var header = DataOutput()
        header.writeVInt(blockCount)
        try output.write(header)
        try output.write(index)
        return indexOffset
    }
}
