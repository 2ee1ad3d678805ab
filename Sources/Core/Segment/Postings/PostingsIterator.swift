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
    /// `posFile`'s bytes (empty without positions), read in place: binding `posFile` or
    /// passing its path along retains and releases them on every document's positions.
    private let posBytes: UnsafeRawBufferPointer
    let codec: any Codec
    let hasNorms: Bool
    /// Full blocks in `LanePacker`'s layout (format version 2 on), else `BitPacker`'s.
    let inLanes: Bool
    /// Skip entries in fixed-width columns (format version 3 on), else variable-byte entries.
    let skipColumns: Bool
    /// Documents containing the term.
    public let docFreq: Int32

    /// The current document (-1 before the first `next()`).
    public private(set) var doc: Int32 = -1
    /// The decoded block: documents at 0..<128, frequencies from `freqBase` (one allocation;
    /// two entries for a single-document term).
    private var buffer: [UInt32]
    private let freqBase: Int
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
    // Skip columns (format 3): where the last-document column starts, the width of the offset
    // columns, the number of blocks, the current block, and what the offsets count from.
    private var columnsAt = 0
    private var offsetBytes = 4
    private var blockCount = 0
    private var currentBlock = -1
    private var termPositions = 0
    /// Where a compressed block is decompressed to (allocated on the first one).
    private var scratch: PostingsScratch?
    /// The current full block's bit-packed frequencies (minus one), read one at a time by
    /// `freq` until `decodeFreqs()` unpacks them all into `buffer` (positions need them all);
    /// nil once they are in `buffer`. Points into the `.doc` mmap or into `scratch`, both
    /// owned by this iterator; in the sequential layout it is followed by at least 8 readable bytes.
    private var packedFreqs: UnsafeRawPointer?
    private var packedFreqBits = 0
    // Positions of the current block, decoded one document at a time on demand: forward
    // cursors over the block's documents, bit-packed groups and variable-byte remainder (the
    // documents of a block are visited in order; going back restarts them).
    private var positionsReady = false
    /// The chunk's payload is in `positionChunk` (it was compressed), else in the `.pos` mmap.
    private var positionsInChunk = false
    private var positionChunk: [UInt8] = []
    /// The payload's byte range in its source.
    private var posStart = 0
    private var posEnd = 0
    /// Deltas in full 128-value groups (the rest are variable-byte).
    private var posPacked = 0
    /// The sum of the block's frequencies (its number of positions), set when it is decoded.
    private var blockFreqSum = 0
    /// The sum of the frequencies of the block's documents before `posDocCursor`.
    private var posDocCursor = 0
    private var posDocStart = 0
    /// Group `posGroup` starts (its width byte) at `posGroupOffset`.
    private var posGroup = 0
    private var posGroupOffset = 0
    /// Remainder value `posVIntIndex` starts at `posVIntOffset` (-1: not located yet).
    private var posVIntIndex = 0
    private var posVIntOffset = -1

    /// The last document of the current block (from skip data, before decoding it).
    public private(set) var blockLastDoc: Int32 = -1
    /// The largest term frequency in the current block.
    public private(set) var blockMaxFreq: Int32 = .max
    /// The smallest length-norm id in the current block (0 when unknown: a safe bound).
    public private(set) var blockMinNorm: UInt8 = 0

    init(info: TermInfo, docFile: ReadOnlyFile, posFile: ReadOnlyFile?, codec: any Codec, hasNorms: Bool, inLanes: Bool,
         skipColumns: Bool) throws(SegmentError) {
        self.docFile = docFile
        self.inLanes = inLanes
        self.skipColumns = skipColumns
        self.posFile = posFile
        posBytes = posFile?.bytes ?? UnsafeRawBufferPointer(start: nil, count: 0)
        self.codec = codec
        self.hasNorms = hasNorms
        self.docFreq = info.docFreq
        skipInput = DataInput(docFile.bytes, file: docFile.path)
        if info.docFreq == 1 {
            buffer = [UInt32(bitPattern: info.singleDoc), UInt32(truncatingIfNeeded: info.totalTermFreq)]
            freqBase = 1
            count = 1
            decoded = true
            blockLastDoc = info.singleDoc
            blockMaxFreq = Int32(truncatingIfNeeded: info.totalTermFreq)
            blockPositions = info.positionsOffset
            return
        }
        buffer = [UInt32](repeating: 0, count: 256)
        freqBase = 128
        let df = Int(info.docFreq)
        fullBlocksLeft = df / 128
        blocksLeft = fullBlocksLeft + (df % 128 > 0 ? 1 : 0)
        nextBlockPositions = info.positionsOffset
        termPositions = info.positionsOffset
        do {
            try skipInput.seek(info.postingsOffset)
            if fullBlocksLeft > 0 {
                hasSkip = true
                let length = try skipInput.readVInt(max: docFile.count)
                skipEnd = skipInput.position + length
                nextBlockData = skipEnd
                guard skipEnd <= docFile.count else { throw skipInput.corrupt("skip data past the end of the file") }
                if skipColumns {
                    let width = Int(try skipInput.readByte())
                    guard width == 4 || width == 8 else { throw skipInput.corrupt("skip offsets of \(width) bytes") }
                    let n = blocksLeft
                    let expected = 1 + n * (4 + width + (posFile != nil ? width : 0) + 4 + (hasNorms ? 1 : 0))
                    guard length == expected else { throw skipInput.corrupt("skip columns of \(length) bytes for \(n) blocks, expected \(expected)") }
                    offsetBytes = width
                    blockCount = n
                    columnsAt = skipInput.position
                }
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
    ///
    /// Frequencies are decoded lazily, one value at a time: a conjunction or a phrase reads
    /// them only for the documents every clause shares.
    public var freq: Int32 {
        let i = max(index, 0)
        if let packedFreqs {
            let v = inLanes ? LanePacker.value(packedFreqs, at: i, bits: packedFreqBits) : BitPacker.value128(packedFreqs, at: i, bits: packedFreqBits)
            return Int32(truncatingIfNeeded: v) &+ 1
        }
        return Int32(truncatingIfNeeded: buffer[freqBase + i])
    }

    /// `freq` for scorers that hold the iterator in a class or an array: an inout access
    /// works in place, where reading the property there copies (retains and releases) the
    /// whole iterator first.
    @inline(__always)
    public mutating func currentFreq() -> Int32 { freq }

    /// Unpacks the current block's frequencies into `buffer` (and their sum) if they are still packed.
    private mutating func decodeFreqs() {
        guard let packed = packedFreqs else { return }
        let bits = packedFreqBits
        let inLanes = inLanes
        blockFreqSum = buffer.withUnsafeMutableBufferPointer { all -> Int in
            guard let d = all.baseAddress, all.count == 256 else { return 0 }
            return inLanes ? LanePacker.unpackFreqs(packed, bits: bits, into: d + 128) : BitPacker.unpack128Freqs(packed, bits: bits, into: d + 128)
        }
        packedFreqs = nil
    }

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
        positionsReady = false
        if hasSkip && skipColumns {
            try readColumns(currentBlock + 1)
            return
        }
        if hasSkip {
            if readSkipEntryFast() {
                blockLastDoc = Int32(lastSkipDoc)
                return
            }
            do {
                lastSkipDoc += Int64(try skipInput.readVInt(max: Int(Int32.max)))
                nextBlockData += try skipInput.readVInt(max: docFile.count)
                if posFile != nil { nextBlockPositions += try skipInput.readVInt(max: Int(Int32.max) * 64) }
                blockMaxFreq = Int32(try skipInput.readVInt(max: Int(Int32.max)))
                blockMinNorm = hasNorms ? try skipInput.readByte() : 0
                guard skipInput.position <= skipEnd else { throw skipInput.corrupt("skip entry past the skip data") }
                guard lastSkipDoc < Int64(Int32.max) else { throw skipInput.corrupt("skip entry past the last document id") }
            } catch {
                throw SegmentError.wrap(error, file: docFile.path)
            }
            blockLastDoc = Int32(lastSkipDoc)
        }
    }

    /// Makes block `j` current from the skip columns (`moveToNextBlock` has done the rest).
    /// The columns were checked to lie inside the file when the cursor was made.
    @inline(__always)
    private mutating func readColumns(_ j: Int) throws(SegmentError) {
        guard let base = docFile.bytes.baseAddress, j < blockCount else {
            throw SegmentError.corrupt(file: docFile.path, reason: "skip entry \(j) past the skip columns")
        }
        let n = blockCount
        let w = offsetBytes
        @inline(__always) func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        @inline(__always) func offset(_ at: Int) -> UInt64 {
            w == 4 ? UInt64(u32(at)) : UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self))
        }
        let last = u32(columnsAt &+ 4 &* j)
        var at = columnsAt &+ 4 &* n
        let data = offset(at &+ w &* j)
        at &+= w &* n
        var positions: UInt64 = 0
        if posFile != nil {
            positions = offset(at &+ w &* j)
            at &+= w &* n
        }
        let maxFreq = u32(at &+ 4 &* j)
        at &+= 4 &* n
        // Last documents ascend (a damaged column that does not would send the cursor back).
        guard last < UInt32(Int32.max), Int32(last) > previousLastDoc, maxFreq <= UInt32(Int32.max), data <= UInt64(docFile.count),
              positions <= UInt64(posBytes.count) else {
            throw SegmentError.corrupt(file: docFile.path, reason: "skip entry \(j): last document \(last), data at \(data), frequency \(maxFreq)")
        }
        currentBlock = j
        blockLastDoc = Int32(last)
        blockData = skipEnd &+ Int(data)
        blockPositions = termPositions &+ Int(positions)
        blockMaxFreq = Int32(maxFreq)
        blockMinNorm = hasNorms ? base.load(fromByteOffset: at &+ j, as: UInt8.self) : 0
    }

    /// `passEntries` over the skip columns: the first block after the current one whose last
    /// document reaches `target` (the last block at most), found by comparing last documents
    /// only, a few in turn and then by halving; the blocks before it are passed over.
    @inline(__always)
    private mutating func passColumns(before target: Int32) {
        guard let base = docFile.bytes.baseAddress else { return }
        @inline(__always) func last(_ j: Int) -> UInt32 { UInt32(littleEndian: base.loadUnaligned(fromByteOffset: columnsAt &+ 4 &* j, as: UInt32.self)) }
        let t = UInt32(target)
        let end = blockCount - 1
        var j = currentBlock + 1
        // Out-of-range (damaged) last documents compare as large: never passed over, they are
        // reported when read.
        let near = min(j + 8, end)
        while j < near && last(j) < t { j += 1 }
        if j == near && j < end && last(j) < t {
            var lo = j + 1, hi = end
            while lo < hi {
                let mid = (lo + hi) / 2
                if last(mid) < t { lo = mid + 1 } else { hi = mid }
            }
            j = lo
        }
        let passed = j - (currentBlock + 1)
        // Passed blocks must end, ascending, before the target; anything else (damaged columns)
        // is left to `moveToNextBlock`, which reports it.
        guard passed > 0, last(j - 1) < t, Int64(last(j - 1)) > Int64(blockLastDoc) else { return }
        blocksLeft -= passed
        fullBlocksLeft = max(fullBlocksLeft - passed, 0)
        currentBlock = j - 1
        blockLastDoc = Int32(truncatingIfNeeded: last(j - 1))
        decoded = false
        positionsReady = false
    }

    /// Reads the next skip entry straight from memory when it surely lies inside the skip data
    /// (each vint at most 10 bytes) and is well formed; false leaves everything untouched for
    /// the checked reader, which then reports what is wrong.
    @inline(__always)
    private mutating func readSkipEntryFast() -> Bool {
        let start = skipInput.position
        guard skipEnd - start >= 41, skipEnd <= skipInput.bytes.count, let base = skipInput.bytes.baseAddress else { return false }
        var p = start
        @inline(__always) func vint() -> UInt64? { Self.vint(base, at: &p, end: skipEnd) }
        guard let docDelta = vint(), docDelta <= UInt64(Int32.max),
              let dataDelta = vint(), dataDelta <= UInt64(docFile.count) else { return false }
        var posDelta: UInt64 = 0
        if posFile != nil {
            guard let v = vint(), v <= UInt64(Int32.max) * 64 else { return false }
            posDelta = v
        }
        guard let maxFreq = vint(), maxFreq <= UInt64(Int32.max) else { return false }
        var minNorm: UInt8 = 0
        if hasNorms {
            minNorm = base.load(fromByteOffset: p, as: UInt8.self)
            p += 1
        }
        // A last document past the id range goes to the checked reader, which reports it.
        guard p <= skipEnd, lastSkipDoc + Int64(docDelta) < Int64(Int32.max) else { return false }
        lastSkipDoc += Int64(docDelta)
        nextBlockData += Int(dataDelta)
        nextBlockPositions += Int(posDelta)
        blockMaxFreq = Int32(maxFreq)
        blockMinNorm = minNorm
        skipInput.position = p
        return true
    }

    /// A vint straight from memory at `p` (moved past it), nil past ten bytes or at `end`
    /// (the first byte it may not read).
    @inline(__always)
    private static func vint(_ base: UnsafeRawPointer, at p: inout Int, end: Int) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while shift < 64 && p < end {
            let b = base.load(fromByteOffset: p, as: UInt8.self)
            p &+= 1
            result |= UInt64(b & 0x7F) &<< shift
            if b < 0x80 { return result }
            shift &+= 7
        }
        return nil
    }

    private mutating func decodeBlock() throws(SegmentError) {
        if blockIsFull && decodeStoredFullBlock() { return }
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
                    // Copy on write: a copy of this iterator may still read its block from it.
                    if !isKnownUniquelyReferenced(&scratch) { scratch = PostingsScratch() }
                    let bytes = scratch!.bytes
                    let n = try BlockCompression.read(&input, codec: codec, into: UnsafeMutableRawBufferPointer(rebasing: bytes[0..<PostingsScratch.maxBlock]))
                    guard n == size else { throw input.corrupt("postings block of \(n) bytes, expected \(size)") }
                    // `bytes` keeps 8 bytes past the largest block for the 64-bit loads of `unpack128`.
                    payload = UnsafeRawBufferPointer(rebasing: bytes[0..<size])
                } else {
                    payload = try input.readSlice(size)
                }
                // Unpack with 64-bit loads when 8 readable bytes follow the payload (always but
                // for a block at the very end of a malformed file).
                let slack = first & 0x80 != 0 || input.remaining >= 8
                let docBytes = BitPacker.byteCount(count: 128, bits: docBits)
                packedFreqs = nil
                let inLanes = inLanes
                let (sum, blockLast) = buffer.withUnsafeMutableBufferPointer { all -> (Int, Int64) in
                    var last = last
                    guard let d = all.baseAddress, all.count == 256 else { return (0, last) }
                    let f = d + 128
                    guard let base = payload.baseAddress else {
                        // An empty payload: both widths 0 (consecutive documents, frequency 1).
                        for i in 0..<128 {
                            last &+= 1
                            d[i] = UInt32(truncatingIfNeeded: last)
                        }
                        f.update(repeating: 1, count: 128)
                        return (128, last)
                    }
                    if inLanes {
                        LanePacker.unpackDocs(base, bits: docBits, last: &last, into: d)
                        return (-1, last)
                    }
                    if slack {
                        BitPacker.unpack128Docs(base, bits: docBits, last: &last, into: d)
                        return (-1, last)
                    }
                    BitPacker.unpack(base, count: 128, bits: docBits, into: d)
                    BitPacker.unpack(base + docBytes, count: 128, bits: freqBits, into: f)
                    // Cannot overflow: 128 values below 2^32 (`last` is checked below); a
                    // frequency of 2^32 - 1 in a malformed file wraps to 0.
                    var sum = 0
                    for i in 0..<128 {
                        last &+= Int64(d[i]) &+ 1
                        d[i] = UInt32(truncatingIfNeeded: last)
                        f[i] &+= 1
                        sum &+= Int(f[i])
                    }
                    return (sum, last)
                }
                if sum < 0, let base = payload.baseAddress {
                    packedFreqs = UnsafeRawPointer(base + docBytes)
                    packedFreqBits = freqBits
                }
                blockFreqSum = sum
                last = blockLast
                guard last < Int64(Int32.max) else { throw input.corrupt("document id overflow") }
                guard !hasSkip || last <= Int64(blockLastDoc) else { throw input.corrupt("block past its skip entry's last document") }
                count = 128
            } else {
                packedFreqs = nil
                let n = Int(docFreq) % 128
                for i in 0..<n {
                    let v = try input.readVInt()
                    last += Int64(v >> 1) + 1
                    guard last < Int64(Int32.max) else { throw input.corrupt("document id overflow") }
                    buffer[i] = UInt32(last)
                    buffer[128 + i] = v & 1 == 1 ? 1 : UInt32(truncatingIfNeeded: try input.readVInt(max: Int(Int32.max)))
                }
                guard !hasSkip || last <= Int64(blockLastDoc) else { throw input.corrupt("block past its skip entry's last document") }
                count = n
                var sum = 0
                for i in 0..<n { sum += Int(buffer[128 + i]) }
                blockFreqSum = sum
                if !hasSkip {
                    blockLastDoc = Int32(last)
                    var m: UInt32 = 0
                    for i in 0..<n { m = max(m, buffer[128 + i]) }
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

    /// `decodeBlock` for the common full block, stored uncompressed and followed by the 8
    /// readable bytes the 64-bit loads want, read in place: a `DataInput` would retain and
    /// release the file's path on every block. False, having changed nothing, for any other
    /// block (and for one whose widths or ids are out of range, which the general path
    /// reports).
    @inline(__always)
    private mutating func decodeStoredFullBlock() -> Bool {
        let file = docFile.bytes
        let at = blockData
        guard at >= 0, file.count - at >= 2, let fileBase = file.baseAddress else { return false }
        let first = fileBase.load(fromByteOffset: at, as: UInt8.self)
        let docBits = Int(first & 0x7F)
        let freqBits = Int(fileBase.load(fromByteOffset: at + 1, as: UInt8.self))
        guard first & 0x80 == 0, docBits <= 32, freqBits <= 32 else { return false }
        let docBytes = BitPacker.byteCount(count: 128, bits: docBits)
        let size = docBytes + BitPacker.byteCount(count: 128, bits: freqBits)
        guard size > 0, file.count - (at + 2) - size >= 8 else { return false }
        let payload = fileBase + at + 2
        var last = Int64(previousLastDoc)
        let inLanes = inLanes
        buffer.withUnsafeMutableBufferPointer { all in
            guard let d = all.baseAddress, all.count == 256 else { return }
            if inLanes {
                LanePacker.unpackDocs(payload, bits: docBits, last: &last, into: d)
            } else {
                BitPacker.unpack128Docs(payload, bits: docBits, last: &last, into: d)
            }
        }
        guard last < Int64(Int32.max), !hasSkip || last <= Int64(blockLastDoc) else { return false }
        packedFreqs = payload + docBytes
        packedFreqBits = freqBits
        blockFreqSum = -1
        count = 128
        decoded = true
        index = -1
        return true
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
            doc = Int32(bitPattern: buffer[index])
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
        doc = Int32(bitPattern: buffer[0])
        return doc
    }

    /// Moves to the first document >= `target` (which must be greater than `doc`).
    @discardableResult
    public mutating func advance(to target: Int32) throws(SegmentError) -> Int32 {
        if doc >= target { return doc }
        try advanceShallow(to: target)
        if blockLastDoc == Self.noMoreDocs && count == 0 { doc = Self.noMoreDocs; return doc }
        if !decoded { try decodeBlock() }
        // The first document >= target after the current one: the next one often is (a
        // conjunction's other clauses), else, the block being sorted, the number of its
        // documents below the target, counted with vector compares: no branch on the data
        // (a binary search's halving branches mispredict about every other step, and the
        // compiler turns a conditional-move formulation back into branches).
        let found = buffer.withUnsafeBufferPointer { b -> Int in
            let lo = index + 1
            let hi = count
            guard lo < hi, hi <= b.count, let p = b.baseAddress else { return count }
            if Int32(bitPattern: p[lo]) >= target { return lo }
            if Int32(bitPattern: p[hi - 1]) < target { return count }
            return Self.countBelow(target, p, hi)
        }
        index = found
        if found < count {
            doc = Int32(bitPattern: buffer[found])
            return doc
        }
        // Only reached when the target is past this block's last document.
        guard blocksLeft > 0 else { doc = Self.noMoreDocs; index = max(count - 1, 0); return doc }
        try moveToNextBlock()
        try decodeBlock()
        return try advance(to: target)
    }

    /// How many of the `n` ascending documents at `p` are below `target` (all non-negative).
    @inline(__always)
    static func countBelow(_ target: Int32, _ p: UnsafePointer<UInt32>, _ n: Int) -> Int {
        let raw = UnsafeRawPointer(p)
        let t = SIMD8<Int32>(repeating: target)
        let zero = SIMD8<Int32>(), one = SIMD8<Int32>(repeating: 1)
        var below = SIMD8<Int32>()
        var i = 0
        while i &+ 8 <= n {
            let v = raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Int32>.self)
            below &+= zero.replacing(with: one, where: v .< t)
            i &+= 8
        }
        var c = Int(below.wrappedSum())
        while i < n {
            if Int32(bitPattern: p[i]) < target { c &+= 1 }
            i &+= 1
        }
        return c
    }

    /// Moves the skip cursor to the block that may contain `target` without decoding
    /// documents; returns that block's last document (`noMoreDocs` past the end). Block
    /// impacts then describe that block.
    @discardableResult
    public mutating func advanceShallow(to target: Int32) throws(SegmentError) -> Int32 {
        guard blockLastDoc < target && blocksLeft > 0 && hasSkip else { return blockLastDoc }
        passEntries(before: target)
        while blockLastDoc < target && blocksLeft > 0 {
            try moveToNextBlock()
        }
        return blockLastDoc
    }

    /// Passes over the skip entries of the blocks after the current one that end before
    /// `target`, keeping at least one block to come, adding up only their document and offset
    /// deltas (a far `advance` crosses many blocks of a frequent term). Leaves just what
    /// `moveToNextBlock` reads, which must come next: it then makes current the block that may
    /// hold `target`. Stops early, leaving the rest to `moveToNextBlock`'s checked reader, near
    /// the end of the skip data or at anything out of range.
    @inline(__always)
    private mutating func passEntries(before target: Int32) {
        if skipColumns {
            passColumns(before: target)
            return
        }
        guard let base = skipInput.bytes.baseAddress, skipEnd <= skipInput.bytes.count else { return }
        let hasPositions = posFile != nil
        var p = skipInput.position
        var lastDoc = lastSkipDoc
        var data = nextBlockData
        var positions = nextBlockPositions
        var passed = 0
        @inline(__always) func vint() -> UInt64? { Self.vint(base, at: &p, end: skipEnd) }
        // Each entry is at most 41 bytes (four vints of up to 10 and a norm byte).
        while blocksLeft - passed > 1 && skipEnd - p >= 41 {
            let entry = p
            guard let docDelta = vint(), docDelta <= UInt64(Int32.max), lastDoc + Int64(docDelta) < Int64(target),
                  let dataDelta = vint(), dataDelta <= UInt64(docFile.count) else { p = entry; break }
            var posDelta: UInt64 = 0
            if hasPositions {
                guard let v = vint(), v <= UInt64(Int32.max) * 64 else { p = entry; break }
                posDelta = v
            }
            guard let maxFreq = vint(), maxFreq <= UInt64(Int32.max) else { p = entry; break }
            if hasNorms { p &+= 1 }
            lastDoc += Int64(docDelta)
            data += Int(dataDelta)
            positions += Int(posDelta)
            passed += 1
        }
        guard passed > 0 else { return }
        // Every passed block is full (the tail, if any, is the last block, which is never passed).
        blocksLeft -= passed
        fullBlocksLeft = max(fullBlocksLeft - passed, 0)
        blockLastDoc = Int32(truncatingIfNeeded: lastDoc)
        nextBlockData = data
        nextBlockPositions = positions
        lastSkipDoc = lastDoc
        skipInput.position = p
        decoded = false
        positionsReady = false
    }

    /// The positions of the term in the current document, ascending, into `output`
    /// (replacing its contents). Empty when the field has no positions.
    ///
    /// Decodes only this document's deltas: its first delta's index in the block's chunk is
    /// the sum of the frequencies before it, which locates its group (or remainder value).
    public mutating func positions(into output: inout [UInt32]) throws(SegmentError) {
        guard posFile != nil, doc >= 0, doc != Self.noMoreDocs, index >= 0, index < count else {
            output.removeAll(keepingCapacity: true)
            return
        }
        decodeFreqs()
        if !positionsReady { try preparePositions() }
        let i = index
        if i < posDocCursor {
            posDocCursor = 0
            posDocStart = 0
        }
        if posDocCursor < i {
            let (from, base) = (posDocCursor, freqBase)
            posDocStart = buffer.withUnsafeBufferPointer { b -> Int in
                guard base + i <= b.count, let p = b.baseAddress else { return 0 }
                // From the frequencies' own base, without checked index arithmetic, so the
                // loop vectorizes (it ran a checked add per frequency: most of this call).
                let f = UnsafeBufferPointer(start: p + base + from, count: i - from)
                var sum = posDocStart
                for v in f { sum &+= Int(v) }
                return sum
            }
            posDocCursor = i
        }
        let start = posDocStart
        let n = Int(buffer[freqBase + i])
        if output.count > n {
            output.removeLast(output.count - n)
        } else if output.count < n {
            output.append(contentsOf: repeatElement(0, count: n - output.count))
        }
        let r: Result<Void, SegmentError>
        if positionsInChunk {
            var chunk: [UInt8] = []
            swap(&chunk, &positionChunk)
            r = chunk.withUnsafeBytes { src in
                output.withUnsafeMutableBufferPointer { out in
                    Result { () throws(SegmentError) in try decodePositions(src, start: start, into: out) }
                }
            }
            swap(&chunk, &positionChunk)
        } else {
            r = output.withUnsafeMutableBufferPointer { out in
                Result { () throws(SegmentError) in try decodePositions(posBytes, start: start, into: out) }
            }
        }
        try r.get()
    }

    /// Locates the current block's positions chunk (decompressing it only when it was
    /// compressed) and resets the cursors.
    private mutating func preparePositions() throws(SegmentError) {
        if let base = posBytes.baseAddress, blockPositions >= 0 {
            // The common chunk, stored uncompressed and well formed, located in place: a
            // `DataInput` would retain and release the file's path for every block.
            var p = blockPositions
            if let header = Self.vint(base, at: &p, end: posBytes.count), header & 1 == 0, header >> 1 <= 1 << 30, Int(header >> 1) <= posBytes.count - p {
                posStart = p
                posEnd = p + Int(header >> 1)
                positionsInChunk = false
                resetPositionCursors()
                return
            }
        }
        guard blockPositions >= 0 && blockPositions <= posBytes.count else {
            throw SegmentError.corrupt(file: posPath, reason: "positions chunk at \(blockPositions) outside the file")
        }
        var input = DataInput(posBytes, file: posPath, position: blockPositions)
        do {
            let header = try input.readVInt()
            if header & 1 == 0 {
                guard header >> 1 <= 1 << 30 else { throw input.corrupt("positions chunk of \(header >> 1) bytes") }
                let length = Int(header >> 1)
                let begin = input.position
                _ = try input.readSlice(length)
                posStart = begin
                posEnd = begin + length
                positionsInChunk = false
            } else {
                try input.seek(blockPositions)
                try BlockCompression.read(&input, codec: codec, into: &positionChunk, maxSize: 1 << 30)
                posStart = 0
                posEnd = positionChunk.count
                positionsInChunk = true
            }
        } catch let e as SegmentError {
            throw e
        } catch {
            throw SegmentError.wrap(error, file: posPath)
        }
        resetPositionCursors()
    }

    /// Points the positions cursors at the start of the chunk just located.
    @inline(__always)
    private mutating func resetPositionCursors() {
        let total = freqBase == 1 ? Int(buffer[1]) : blockFreqSum
        posPacked = total / 128 * 128
        posDocCursor = 0
        posDocStart = 0
        posGroup = 0
        posGroupOffset = posStart
        posVIntIndex = 0
        posVIntOffset = -1
        positionsReady = true
    }

    /// The positions file's path, for errors only (reading it retains the string).
    private var posPath: String { posFile?.path ?? "" }

    /// Moves the group cursor to group `g` (`posPacked / 128`: the remainder) and returns its
    /// bit width, having checked that the group lies inside the payload.
    @inline(__always)
    private mutating func seekGroup(_ g: Int, _ src: UnsafeRawBufferPointer) throws(SegmentError) -> Int {
        if g < posGroup {
            posGroup = 0
            posGroupOffset = posStart
        }
        let groups = posPacked >> 7
        while true {
            if posGroup == groups { return 0 }
            guard posGroupOffset < posEnd else {
                throw SegmentError.corrupt(file: posPath, reason: "positions group past the chunk at offset \(posGroupOffset)")
            }
            let bits = Int(src[posGroupOffset])
            let size = BitPacker.byteCount(count: 128, bits: bits)
            guard bits <= 32, size < posEnd - posGroupOffset else {
                throw SegmentError.corrupt(file: posPath, reason: "position group of width \(bits) past the chunk at offset \(posGroupOffset)")
            }
            if posGroup == g { return bits }
            posGroupOffset += 1 + size
            posGroup += 1
        }
    }

    /// Decodes `out.count` positions whose deltas start at index `start` of the block's chunk.
    private mutating func decodePositions(_ src: UnsafeRawBufferPointer, start: Int, into out: UnsafeMutableBufferPointer<UInt32>) throws(SegmentError) {
        let n = out.count
        guard n > 0, let outBase = out.baseAddress else { return }
        guard posEnd <= src.count, let base = src.baseAddress else {
            throw SegmentError.corrupt(file: posPath, reason: "positions chunk out of range")
        }
        var k = 0
        var idx = start
        while k < n && idx < posPacked {
            let bits = try seekGroup(idx >> 7, src)
            let within = idx & 127
            let take = min(n - k, 128 - within)
            BitPacker.unpack(base + posGroupOffset + 1, from: within, count: take, bits: bits, into: outBase + k)
            k += take
            idx += take
        }
        if k < n {
            let r = idx - posPacked
            if posVIntOffset < 0 || r < posVIntIndex {
                _ = try seekGroup(posPacked >> 7, src)
                posVIntOffset = posGroupOffset
                posVIntIndex = 0
            }
            // Variable-byte values read in place, each checked to end inside the payload.
            var p = posVIntOffset
            let end = posEnd
            while posVIntIndex < r {
                guard Self.vint(base, at: &p, end: end) != nil else { throw SegmentError.corrupt(file: posPath, reason: "position past the chunk at offset \(p)") }
                posVIntIndex += 1
            }
            while k < n {
                guard let v = Self.vint(base, at: &p, end: end) else {
                    throw SegmentError.corrupt(file: posPath, reason: "position past the chunk at offset \(p)")
                }
                outBase[k] = UInt32(truncatingIfNeeded: v)
                k += 1
                posVIntIndex += 1
            }
            posVIntOffset = p
        }
        var acc: UInt32 = 0
        for j in 0..<n {
            acc &+= outBase[j]
            outBase[j] = acc
        }
    }
}

/// Memory a postings iterator decompresses blocks into: owned raw bytes, allocated once per
/// iterator and freed with it, so pointers into the current block (its packed frequencies)
/// stay valid between calls without borrowing an array past its `withUnsafeBytes`.
final class PostingsScratch {
    /// The largest block payload (128 doc deltas and 128 frequencies of 32 bits; the format
    /// caps a block at 4 KiB).
    static let maxBlock = 1 << 12
    /// `maxBlock` bytes and 8 more, zeroed, for the 64-bit loads of `BitPacker.unpack128`.
    let bytes: UnsafeMutableRawBufferPointer

    init() {
        bytes = .allocate(byteCount: Self.maxBlock + 8, alignment: 8)
        bytes.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit { bytes.deallocate() }
}
