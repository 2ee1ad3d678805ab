extension SegmentWriter {
    /// The stored fields of buffered document `doc`, decoded from the bytes `flush` will write
    /// (see `StoredDocumentEncoder`), so a real-time get of a document that is still in memory
    /// returns exactly what a segment would return after the flush.
    ///
    /// - Returns: an empty list for a doc id the buffer does not hold.
    func storedDocument(_ doc: Int32) throws(IndexError) -> [StoredField] {
        let d = Int(doc)
        guard d >= 0 && d < storedEnds.count else { return [] }
        let start = d == 0 ? 0 : storedEnds[d - 1]
        let end = storedEnds[d]
        guard start <= end && end <= stored.count else { return [] }
        let names = fields.map(\.name)
        let result: Result<[StoredField], StoreError> = stored.withUnsafeBytes { raw in
            Result { () throws(StoreError) -> [StoredField] in
                var input = DataInput(UnsafeRawBufferPointer(rebasing: raw[start..<end]), file: "<buffer>")
                let count = try input.readVInt(max: 1 << 16)
                var out: [StoredField] = []
                out.reserveCapacity(count)
                for _ in 0..<count {
                    let number = try input.readVInt(max: 1 << 16)
                    let value = try input.readLengthPrefixed()
                    out.append(StoredField(name: number < names.count ? names[number] : "#\(number)", value: value))
                }
                return out
            }
        }
        do { return try result.get() } catch { throw IndexError.store(error) }
    }
}
