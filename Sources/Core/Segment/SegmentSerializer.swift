/// Writes one immutable segment: the seven files of `SegmentFileNames`, each with a header and
/// a checksum footer. Flushes (from the in-memory `SegmentWriter`) and merges (from segment
/// readers) both push their data through it, so there is one encoder per structure.
///
/// Call order: `writeNorms` for norm fields, then per indexed field `startField`, `addTerm`
/// in term order, `finishField`; `addStored` once per document in doc order; the doc-value
/// writers; then `finish()`. Files are not fsynced: the commit that first names the segment
/// does that.
final class SegmentSerializer {
    let directory: IndexDirectory
    let name: String
    let codec: any Codec
    let fields: [SegmentFieldInfo]
    let maxDoc: Int
    private let termsOut: IndexOutput
    private let docOut: IndexOutput
    private let posOut: IndexOutput
    private let normsOut: IndexOutput
    private let storedOut: IndexOutput
    private let docValuesOut: IndexOutput
    private var stored: StoredFieldsWriter
    private var termDirectory: [(field: Int, values: [Int])] = []
    private var normsDirectory: [(field: Int, values: [Int])] = []
    private var docValuesDirectory: [(field: Int, values: [Int])] = []
    private var created: [String] = []

    // The field being written.
    private var field: SegmentFieldInfo?
    private var termWriter: TermDictionaryWriter?
    private var postings: PostingsSerializer?
    private var fieldNorms: [UInt8]?
    private var seen: [UInt64] = []
    private var stats = FieldStats()

    init(directory: IndexDirectory, name: String, codec: any Codec, fields: [SegmentFieldInfo], maxDoc: Int) throws {
        self.directory = directory
        self.name = name
        self.codec = codec
        self.fields = fields
        self.maxDoc = maxDoc
        stored = StoredFieldsWriter(codec: codec)
        var outputs: [IndexOutput] = []
        var created: [String] = []
        func open(_ file: String, _ kind: String) throws -> IndexOutput {
            let o = try directory.createOutput(file, header: FileHeader(kind: kind, codecName: codec.name, codecVersion: codec.version, segment: name))
            created.append(file)
            outputs.append(o)
            return o
        }
        do {
            termsOut = try open(SegmentFileNames.terms(name), "terms")
            docOut = try open(SegmentFileNames.postings(name), "postings")
            posOut = try open(SegmentFileNames.positions(name), "positions")
            normsOut = try open(SegmentFileNames.norms(name), "norms")
            storedOut = try open(SegmentFileNames.stored(name), StoredFieldsWriter.kind)
            docValuesOut = try open(SegmentFileNames.docValues(name), DocValuesWriter.kind)
        } catch {
            for o in outputs { o.abandon() }
            for f in created { try? directory.delete(f) }
            throw error
        }
        self.created = created
    }

    func writeNorms(field: Int, _ norms: [UInt8]) throws {
        precondition(norms.count == maxDoc)
        normsDirectory.append((field, [normsOut.position]))
        try normsOut.write(norms)
    }

    func startField(_ info: SegmentFieldInfo, norms: [UInt8]?) throws {
        field = info
        termWriter = TermDictionaryWriter(codec: codec, hasPositions: info.hasPositions)
        postings = PostingsSerializer(codec: codec, hasPositions: info.hasPositions, hasNorms: info.hasNorms)
        fieldNorms = norms
        seen = [UInt64](repeating: 0, count: (maxDoc + 63) / 64)
        stats = FieldStats()
    }

    /// Adds the next term (terms must come in byte order) with its postings.
    func addTerm(_ term: UnsafeRawBufferPointer, docs: [UInt32], freqs: [UInt32], positions: [UInt32]) throws {
        // Moved out of self while mutated: a copy would duplicate their buffers (copy on write).
        guard !docs.isEmpty, var postings, var termWriter else { return }
        self.postings = nil
        self.termWriter = nil
        let info = try docs.withUnsafeBufferPointer { d in
            try freqs.withUnsafeBufferPointer { f in
                try positions.withUnsafeBufferPointer { p in
                    if let fieldNorms {
                        return try fieldNorms.withUnsafeBufferPointer { n in
                            try postings.write(docs: d, freqs: f, positions: p, norms: n, docOutput: docOut, posOutput: field?.hasPositions == true ? posOut : nil)
                        }
                    }
                    return try postings.write(docs: d, freqs: f, positions: p, norms: nil, docOutput: docOut, posOutput: field?.hasPositions == true ? posOut : nil)
                }
            }
        }
        self.postings = postings
        for d in docs { seen[Int(d) >> 6] |= 1 << UInt64(d & 63) }
        stats.sumDocFreq += Int64(info.docFreq)
        stats.sumTotalTermFreq += info.totalTermFreq
        stats.termCount += 1
        try termWriter.add(term, info, output: termsOut)
        self.termWriter = termWriter
    }

    func finishField() throws {
        guard let field, var termWriter else { return }
        let indexOffset = try termWriter.finish(output: termsOut)
        stats.docCount = seen.reduce(0) { $0 + $1.nonzeroBitCount }
        termDirectory.append((field.number, [indexOffset, stats.docCount, Int(stats.sumTotalTermFreq), Int(stats.sumDocFreq), stats.termCount]))
        self.field = nil
        self.termWriter = nil
        self.postings = nil
    }

    func addStored(_ payload: UnsafeRawBufferPointer) throws {
        try stored.add(payload, output: storedOut)
    }

    func writeNumericDocValues(field: Int, values: [Int64], present: [Bool]) throws {
        precondition(values.count == maxDoc)
        docValuesDirectory.append((field, [docValuesOut.position]))
        try DocValuesWriter.writeNumeric(values: values, present: present, to: docValuesOut)
    }

    func writeKeywordDocValues(field: Int, perDoc: [[[UInt8]]]) throws {
        precondition(perDoc.count == maxDoc)
        docValuesDirectory.append((field, [docValuesOut.position]))
        try DocValuesWriter.writeKeywords(perDoc: perDoc, to: docValuesOut)
    }

    /// Completes every file and writes the `.si`; returns the segment's info.
    func finish() throws -> SegmentInfo {
        try FieldDirectory.write(termDirectory, to: termsOut)
        try FieldDirectory.write(normsDirectory, to: normsOut)
        try stored.finish(output: storedOut)
        try FieldDirectory.write(docValuesDirectory, to: docValuesOut)
        try FieldDirectory.write([], to: docOut)
        try FieldDirectory.write([], to: posOut)
        for o in [termsOut, docOut, posOut, normsOut, storedOut, docValuesOut] { try o.finish(sync: false) }
        let info = SegmentInfo(name: name, maxDoc: maxDoc, fields: fields, codecName: codec.name, codecVersion: codec.version)
        let siName = SegmentFileNames.info(name)
        created.append(siName)
        let file = try directory.fileIO.openForWriting(directory.filePath(siName), truncate: true)
        try file.write(info.encode())
        try file.close()
        return info
    }

    /// Closes and deletes whatever was created (after a failure).
    func abandon() {
        for o in [termsOut, docOut, posOut, normsOut, storedOut, docValuesOut] { o.abandon() }
        for f in created { try? directory.delete(f) }
    }
}
