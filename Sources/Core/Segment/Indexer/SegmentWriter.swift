/// The segment being built in memory: documents are analyzed into per-field term streams,
/// norms, stored payloads and doc-value columns, until `flush` serializes them as an
/// immutable segment.
///
/// Not thread-safe: the `IndexWriter` owns one and calls it under its lock.
struct SegmentWriter: Sendable {
    let fields: [SegmentFieldInfo]
    let analyzers: [(any Analyzer)?]
    let fieldNumbers: [String: Int]
    private(set) var indexers: [FieldIndexer]
    private(set) var norms: [[UInt8]]
    private(set) var stored: [UInt8] = []
    private(set) var storedEnds: [Int] = []
    private(set) var numeric: [[Int64]]
    private(set) var numericPresent: [[Bool]]
    private(set) var keywords: [[[[UInt8]]]]
    private(set) var maxDoc: Int32 = 0
    private var stream = TokenStream()
    private var encoder = StoredDocumentEncoder()
    private var lengths: [UInt32]
    private var json: [UInt8] = []
    private var storedBytesEstimate = 0

    init(fields: [SegmentFieldInfo], analyzers: [(any Analyzer)?]) {
        self.fields = fields
        self.analyzers = analyzers
        var numbers: [String: Int] = [:]
        for f in fields { numbers[f.name] = f.number }
        fieldNumbers = numbers
        indexers = fields.map { FieldIndexer(hasPositions: $0.hasPositions) }
        norms = fields.map { _ in [] }
        numeric = fields.map { _ in [] }
        numericPresent = fields.map { _ in [] }
        keywords = fields.map { _ in [] }
        lengths = [UInt32](repeating: 0, count: fields.count)
    }

    /// Approximate heap bytes held, for the writer's RAM budget. Counts what the buffers hold,
    /// not their capacity: an array that just doubled has reserved address space it has not
    /// touched, and counting that made the flush point depend on when some array last grew
    /// (the bench corpus flushed at 262k of 274k documents because the id field's term states
    /// had just doubled). Growth is geometric, so the transient copy stays bounded.
    var ramBytes: Int {
        var total = stored.count + storedEnds.count * 8 + storedBytesEstimate
        for i in indexers.indices { total += indexers[i].ramBytes }
        for n in norms { total += n.count }
        for n in numeric { total += n.count * 9 }
        return total
    }

    var isEmpty: Bool { maxDoc == 0 }

    /// Adds a document; returns its doc id in this segment.
    mutating func add(_ document: Document) throws(IndexError) -> Int32 {
        let doc = maxDoc
        for i in lengths.indices { lengths[i] = 0 }
        encoder.reset()
        for field in document.fields {
            guard let number = fieldNumbers[field.name] else { throw IndexError.invalidDocument("unknown field '\(field.name)'") }
            let info = fields[number]
            if info.indexed { index(field.values, field: number, doc: doc) }
            if let kind = info.docValues { addDocValues(field.values, field: number, kind: kind, doc: doc) }
            if info.stored {
                if let original = field.storedJSON {
                    encoder.add(field: number, value: original)
                } else {
                    json.removeAll(keepingCapacity: true)
                    if field.values.count == 1 {
                        field.values[0].appendJSON(to: &json)
                    } else {
                        json.append(UInt8(ascii: "["))
                        for (i, v) in field.values.enumerated() {
                            if i > 0 { json.append(UInt8(ascii: ",")) }
                            v.appendJSON(to: &json)
                        }
                        json.append(UInt8(ascii: "]"))
                    }
                    encoder.add(field: number, value: json)
                }
            }
        }
        for f in fields {
            if f.hasNorms { norms[f.number].append(FieldNorm.id(for: lengths[f.number])) }
            if f.docValues == .numeric && numeric[f.number].count == Int(doc) {
                numeric[f.number].append(0)
                numericPresent[f.number].append(false)
            }
            if f.docValues == .keywords && keywords[f.number].count == Int(doc) {
                keywords[f.number].append([])
            }
        }
        stored.append(contentsOf: encoder.encoded())
        storedEnds.append(stored.count)
        maxDoc += 1
        return doc
    }

    private mutating func index(_ values: [Document.Value], field: Int, doc: Int32) {
        var base: Int32 = 0
        for value in values {
            switch value {
            case .text(let text):
                base = indexText(text, field: field, doc: doc, base: base)
            case .keywords(let words):
                for w in words { base = indexText(w, field: field, doc: doc, base: base) }
            case .int(let i):
                base = indexText(String(i), field: field, doc: doc, base: base)
            case .bool(let b):
                base = indexText(b ? "true" : "false", field: field, doc: doc, base: base)
            case .double, .datetime:
                break
            }
        }
    }

    /// Indexes one value; returns the position base for the next value of the field (a gap
    /// of one position, so phrases never match across values).
    private mutating func indexText(_ text: String, field: Int, doc: Int32, base: Int32) -> Int32 {
        guard let analyzer = analyzers[field] else {
            var text = text
            text.withUTF8 { bytes in indexers[field].add(UnsafeRawBufferPointer(bytes), doc: doc, position: base) }
            lengths[field] += 1
            return base + 2
        }
        stream.analyze(text, with: analyzer)
        let tokens = stream.tokens
        var last = base - 1
        tokens.withArena { arena in
            let raw = UnsafeRawBufferPointer(arena)
            for token in tokens.tokens {
                let start = Int(token.termStart)
                let end = start + Int(token.termLength)
                let position = base + token.position
                indexers[field].add(UnsafeRawBufferPointer(rebasing: raw[start..<end]), doc: doc, position: position)
                if position > last { last = position }
            }
        }
        lengths[field] += UInt32(tokens.count)
        return last + 2
    }

    private mutating func addDocValues(_ values: [Document.Value], field: Int, kind: SegmentFieldInfo.DocValuesKind, doc: Int32) {
        switch kind {
        case .numeric:
            guard numeric[field].count == Int(doc), let first = values.first else { return }
            let v: Int64?
            switch first {
            case .int(let i): v = i
            case .double(let d): v = DocValueEncoding.sortable(d)
            case .datetime(let t): v = t
            case .bool(let b): v = b ? 1 : 0
            case .text(let s): v = Int64(s)
            case .keywords: v = nil
            }
            numeric[field].append(v ?? 0)
            numericPresent[field].append(v != nil)
        case .keywords:
            var list: [[UInt8]] = keywords[field].count == Int(doc) ? [] : (keywords[field].popLast() ?? [])
            for value in values {
                switch value {
                case .text(let s): list.append(Array(s.utf8))
                case .keywords(let k): list.append(contentsOf: k.map { Array($0.utf8) })
                case .int(let i): list.append(Array(String(i).utf8))
                case .bool(let b): list.append(Array((b ? "true" : "false").utf8))
                default: break
                }
            }
            storedBytesEstimate += list.reduce(0) { $0 + $1.count + 32 }
            keywords[field].append(list)
        }
    }

    /// Writes the buffered documents as segment `name`; the files are not fsynced (a commit
    /// does that).
    func flush(directory: IndexDirectory, name: String, codec: any Codec) throws -> SegmentInfo {
        let serializer = try SegmentSerializer(directory: directory, name: name, codec: codec, fields: fields, maxDoc: Int(maxDoc))
        do {
            var docs: [UInt32] = [], freqs: [UInt32] = [], positions: [UInt32] = []
            for f in fields {
                if f.hasNorms { try serializer.writeNorms(field: f.number, norms[f.number]) }
            }
            for f in fields where f.indexed {
                let indexer = indexers[f.number]
                try serializer.startField(f, norms: f.hasNorms ? norms[f.number] : nil)
                for id in indexer.terms.sortedIds() {
                    indexer.read(Int(id), docs: &docs, freqs: &freqs, positions: &positions)
                    try indexer.terms.withTerm(Int(id)) { term in
                        try serializer.addTerm(term, docs: docs, freqs: freqs, positions: positions)
                    }
                }
                try serializer.finishField()
            }
            var start = 0
            for end in storedEnds {
                try stored.withUnsafeBytes { raw in try serializer.addStored(UnsafeRawBufferPointer(rebasing: raw[start..<end])) }
                start = end
            }
            for f in fields {
                switch f.docValues {
                case .numeric?: try serializer.writeNumericDocValues(field: f.number, values: numeric[f.number], present: numericPresent[f.number])
                case .keywords?: try serializer.writeKeywordDocValues(field: f.number, perDoc: keywords[f.number])
                case nil: break
                }
            }
            return try serializer.finish()
        } catch {
            serializer.abandon()
            throw error
        }
    }
}
