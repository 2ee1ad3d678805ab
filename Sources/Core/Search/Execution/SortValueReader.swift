/// Reads one segment's sort values.
struct SortValueReader {
    let numeric: NumericDocValues?
    let keywords: KeywordDocValues?

    init(field: String, reader: SegmentReader) {
        numeric = reader.numericDocValues(field)
        keywords = numeric == nil ? reader.keywordDocValues(field) : nil
    }

    func value(_ doc: Int32) -> SortValue {
        if let numeric { return numeric.value(doc).map(SortValue.number) ?? .missing }
        if let keywords, let first = keywords.ordinals(doc).first { return .bytes(keywords.value(ordinal: first)) }
        return .missing
    }
}
