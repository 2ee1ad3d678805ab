/// A numeric column of one segment: the Int64 of each document (doubles through
/// `DocValueEncoding`, datetimes as microseconds, booleans as 0/1), read off the mmap.
public struct NumericDocValues: Sendable {
    let file: ReadOnlyFile
    let presence: Int?
    let valuesOffset: Int
    let minValue: Int64
    let bits: Int
    public let maxDoc: Int

    /// The value of `doc`, nil when the document has none.
    public func value(_ doc: Int32) -> Int64? {
        let d = Int(doc)
        guard d >= 0 && d < maxDoc, let base = file.bytes.baseAddress else { return nil }
        if let presence {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: presence + (d >> 6) * 8, as: UInt64.self))
            if word & (1 << UInt64(d & 63)) == 0 { return nil }
        }
        return minValue &+ Int64(bitPattern: LongPacker.get(base + valuesOffset, index: d, bits: bits))
    }
}

/// A keyword column of one segment: per document a sorted set of ordinals into the segment's
/// sorted distinct values, for facets (count ordinals, then resolve the top ones) and sorting.
public struct KeywordDocValues: Sendable {
    let file: ReadOnlyFile
    let termRanges: [Range<Int>]
    let startsOffset: Int
    let startBits: Int
    let ordsOffset: Int
    let ordBits: Int
    let ordCount: Int
    public let maxDoc: Int

    /// Number of distinct values in the segment.
    public var valueCount: Int { termRanges.count }

    /// The ordinals of `doc`'s values, ascending.
    public func ordinals(_ doc: Int32) -> [Int] {
        let d = Int(doc)
        guard d >= 0 && d < maxDoc, let base = file.bytes.baseAddress else { return [] }
        let from = Int(LongPacker.get(base + startsOffset, index: d, bits: startBits))
        let to = Int(LongPacker.get(base + startsOffset, index: d + 1, bits: startBits))
        guard from <= to && to <= ordCount else { return [] }
        return (from..<to).map { Int(LongPacker.get(base + ordsOffset, index: $0, bits: ordBits)) }
    }

    /// The value of ordinal `ord`.
    public func value(ordinal ord: Int) -> [UInt8] {
        guard ord >= 0 && ord < termRanges.count else { return [] }
        return Array(file.bytes[termRanges[ord]])
    }

    /// The values of `doc` as byte strings.
    public func values(_ doc: Int32) -> [[UInt8]] { ordinals(doc).map { value(ordinal: $0) } }
}

/// Opens the columns of a `.dv` file.
enum DocValuesReader {
    enum Column: Sendable {
        case numeric(NumericDocValues)
        case keywords(KeywordDocValues)
    }

    static func open(_ file: VerifiedFile, maxDoc: Int, offsets: [Int: [Int]]) throws(SegmentError) -> [Int: Column] {
        var columns: [Int: Column] = [:]
        do {
            for (field, values) in offsets {
                guard let offset = values.first else { continue }
                var input = file.input(at: offset)
                guard offset >= file.body.lowerBound && offset < file.body.upperBound else { throw input.corrupt("column offset \(offset)") }
                let kind = try input.readByte()
                switch SegmentFieldInfo.DocValuesKind(rawValue: kind) {
                case .numeric?:
                    let missing = try input.readVInt(max: maxDoc)
                    let minValue = try input.readZInt()
                    let bits = Int(try input.readByte())
                    guard bits <= 64 else { throw input.corrupt("bit width \(bits)") }
                    var presence: Int?
                    if missing > 0 {
                        presence = input.position
                        _ = try input.readSlice((maxDoc + 63) / 64 * 8)
                    }
                    let valuesOffset = input.position
                    _ = try input.readSlice(LongPacker.byteCount(count: maxDoc, bits: bits))
                    columns[field] = .numeric(NumericDocValues(file: file.file, presence: presence, valuesOffset: valuesOffset,
                                                               minValue: minValue, bits: bits, maxDoc: maxDoc))
                case .keywords?:
                    let termCount = try input.readVInt(max: file.body.count)
                    var ranges: [Range<Int>] = []
                    ranges.reserveCapacity(termCount)
                    for _ in 0..<termCount {
                        let n = try input.readVInt(max: 1 << 20)
                        ranges.append(input.position..<input.position + n)
                        _ = try input.readSlice(n)
                    }
                    let ordCount = try input.readVInt(max: Int(Int32.max))
                    let startBits = Int(try input.readByte())
                    guard startBits <= 64 else { throw input.corrupt("bit width \(startBits)") }
                    let startsOffset = input.position
                    _ = try input.readSlice(LongPacker.byteCount(count: maxDoc + 1, bits: startBits))
                    let ordBits = Int(try input.readByte())
                    guard ordBits <= 64 else { throw input.corrupt("bit width \(ordBits)") }
                    let ordsOffset = input.position
                    _ = try input.readSlice(LongPacker.byteCount(count: ordCount, bits: ordBits))
                    columns[field] = .keywords(KeywordDocValues(file: file.file, termRanges: ranges, startsOffset: startsOffset, startBits: startBits,
                                                                ordsOffset: ordsOffset, ordBits: ordBits, ordCount: ordCount, maxDoc: maxDoc))
                case nil:
                    throw input.corrupt("unknown doc-values kind \(kind)")
                }
            }
        } catch {
            throw SegmentError.wrap(error, file: file.file.path)
        }
        return columns
    }
}
