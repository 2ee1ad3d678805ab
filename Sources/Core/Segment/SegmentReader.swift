/// Finds the codec a segment file names (Lucene resolves codecs by the name in each segment).
public struct CodecResolver: Sendable {
    let resolve: @Sendable (String, Int) -> (any Codec)?

    /// Resolves through a registry's `.codec` kind; the version must match the codec's.
    public init(registry: Registry) {
        resolve = { name, version in
            guard let codec = try? registry.make(.codec, name: name, args: ComponentArgs(path: "segment codec"), path: "segment codec"),
                  codec.version == version else { return nil }
            return codec
        }
    }

    /// Resolves to the given codecs only (tests).
    public init(codecs: [any Codec]) {
        resolve = { name, version in codecs.first { $0.name == name && $0.version == version } }
    }

    func codec(for header: FileHeader, file: String) throws(SegmentError) -> any Codec {
        guard let codec = resolve(header.codecName, header.codecVersion) else {
            throw SegmentError.unknownCodec(file: file, name: header.codecName, version: header.codecVersion)
        }
        return codec
    }
}

/// One immutable segment opened for reading: every structure works straight off its mmapped
/// files, with only small indexes (term-block index, stored-chunk index) on the heap.
///
/// Thread-safe: all state is immutable; iterators carry their own cursors. What the query
/// engine uses: `terms(_:)` (lookup, prefix and range iteration), `postings(_:_:)` (doc ids,
/// frequencies, positions, skipping and block impacts), `norms(_:)`, `fieldStats(_:)`,
/// `document(_:)` (stored fields), `numericDocValues(_:)` / `keywordDocValues(_:)`. Deletions
/// are not here but in the `LiveDocs` of the snapshot that handed out the reader.
public final class SegmentReader: Sendable {
    public let info: SegmentInfo
    public var name: String { info.name }
    public var maxDoc: Int { info.maxDoc }
    let codec: any Codec
    let docFile: ReadOnlyFile
    let posFile: ReadOnlyFile
    /// Whether full postings blocks use `LanePacker`'s layout (format version 2 on).
    let postingsInLanes: Bool
    /// Whether skip entries are fixed-width columns (format version 3 on).
    let skipColumns: Bool
    let dictionaries: [String: TermDictionary]
    let normsByField: [String: NormsReader]
    let stored: StoredFieldsReader
    let columns: [String: DocValuesReader.Column]
    let fieldsByName: [String: SegmentFieldInfo]
    let files: [VerifiedFile]
    /// Bytes of the segment's files, for merge policy and stats.
    public let sizeInBytes: Int

    /// Opens segment `name` in `directory`.
    ///
    /// - Parameter verify: check every file's full checksum (on first open after start, and
    ///   before a merge reads the segment); otherwise only headers and footers are checked.
    /// - Throws: `SegmentError.corrupt` naming the first bad file, `.unknownCodec`, `.store`.
    public static func open(directory: IndexDirectory, name: String, codecs: CodecResolver, verify: Bool) throws(SegmentError) -> SegmentReader {
        func input(_ file: String, _ kind: String) throws(SegmentError) -> VerifiedFile {
            do {
                return try directory.openInput(file, kind: kind, segment: name, checksum: verify)
            } catch {
                throw SegmentError.wrap(error, file: directory.filePath(file))
            }
        }
        let siFile = try input(SegmentFileNames.info(name), SegmentInfo.kind)
        let info = try SegmentInfo.decode(siFile)
        let codec = try codecs.codec(for: siFile.header, file: siFile.file.path)
        let terms = try input(SegmentFileNames.terms(name), "terms")
        let doc = try input(SegmentFileNames.postings(name), "postings")
        let pos = try input(SegmentFileNames.positions(name), "positions")
        let norms = try input(SegmentFileNames.norms(name), "norms")
        let storedFile = try input(SegmentFileNames.stored(name), StoredFieldsWriter.kind)
        let dv = try input(SegmentFileNames.docValues(name), DocValuesWriter.kind)
        for f in [terms, doc, pos, norms, storedFile, dv] where f.header.codecName != info.codecName {
            throw SegmentError.corrupt(file: f.file.path, reason: "codec '\(f.header.codecName)' differs from the segment's '\(info.codecName)'")
        }
        return try SegmentReader(info: info, codec: codec, terms: terms, doc: doc, pos: pos, norms: norms, stored: storedFile, docValues: dv, si: siFile)
    }

    private init(info: SegmentInfo, codec: any Codec, terms: VerifiedFile, doc: VerifiedFile, pos: VerifiedFile,
                 norms: VerifiedFile, stored: VerifiedFile, docValues: VerifiedFile, si: VerifiedFile) throws(SegmentError) {
        self.files = [si, terms, doc, pos, norms, stored, docValues]
        self.info = info
        self.codec = codec
        self.docFile = doc.file
        postingsInLanes = doc.header.formatVersion >= 2
        skipColumns = doc.header.formatVersion >= 3
        self.posFile = pos.file
        var byNumber: [Int: SegmentFieldInfo] = [:]
        var byName: [String: SegmentFieldInfo] = [:]
        for f in info.fields {
            byNumber[f.number] = f
            byName[f.name] = f
        }
        fieldsByName = byName
        var dictionaries: [String: TermDictionary] = [:]
        for (number, v) in try FieldDirectory.read(terms) {
            guard let f = byNumber[number], v.count == 5, v[0] >= terms.body.lowerBound, v[0] < terms.body.upperBound else {
                throw SegmentError.corrupt(file: terms.file.path, reason: "bad field entry \(number)")
            }
            let stats = FieldStats(docCount: v[1], sumTotalTermFreq: Int64(v[2]), sumDocFreq: Int64(v[3]), termCount: v[4])
            dictionaries[f.name] = try TermDictionary(file: terms, codec: codec, indexOffset: v[0], stats: stats, hasPositions: f.hasPositions)
        }
        self.dictionaries = dictionaries
        var normsByField: [String: NormsReader] = [:]
        for (number, v) in try FieldDirectory.read(norms) {
            guard let f = byNumber[number], let offset = v.first, offset >= norms.body.lowerBound, offset + info.maxDoc <= norms.body.upperBound else {
                throw SegmentError.corrupt(file: norms.file.path, reason: "bad norms entry \(number)")
            }
            normsByField[f.name] = NormsReader(file: norms.file, offset: offset, maxDoc: info.maxDoc)
        }
        self.normsByField = normsByField
        var names: [Int: String] = [:]
        for f in info.fields { names[f.number] = f.name }
        self.stored = try StoredFieldsReader(file: stored, codec: codec, fieldNames: names)
        guard self.stored.docCount == info.maxDoc else {
            throw SegmentError.corrupt(file: stored.file.path, reason: "\(self.stored.docCount) documents, segment has \(info.maxDoc)")
        }
        var columns: [String: DocValuesReader.Column] = [:]
        for (number, column) in try DocValuesReader.open(docValues, maxDoc: info.maxDoc, offsets: try FieldDirectory.read(docValues)) {
            if let f = byNumber[number] { columns[f.name] = column }
        }
        self.columns = columns
        sizeInBytes = [terms, doc, pos, norms, stored, docValues].reduce(0) { $0 + $1.file.count }
    }

    /// The field as this segment stores it.
    public func field(_ name: String) -> SegmentFieldInfo? { fieldsByName[name] }

    /// The term dictionary of `field`, nil when the segment has no terms for it.
    public func terms(_ field: String) -> TermDictionary? { dictionaries[field] }

    /// Statistics of `field` in this segment (zeros when absent).
    public func fieldStats(_ field: String) -> FieldStats { dictionaries[field]?.stats ?? FieldStats() }

    /// A postings cursor for a term of `field` found in `terms(field)`.
    public func postings(_ field: String, _ info: TermInfo) throws(SegmentError) -> PostingsIterator {
        let f = fieldsByName[field]
        return try PostingsIterator(info: info, docFile: docFile, posFile: f?.hasPositions == true ? posFile : nil, codec: codec, hasNorms: f?.hasNorms ?? false,
                                    inLanes: postingsInLanes, skipColumns: skipColumns)
    }

    /// The postings of `term` in `field`, nil when absent.
    public func postings(_ field: String, term: [UInt8]) throws(SegmentError) -> PostingsIterator? {
        guard let dictionary = dictionaries[field], let info = try dictionary.lookup(term) else { return nil }
        return try postings(field, info)
    }

    /// The length norms of `field`, nil when it keeps none.
    public func norms(_ field: String) -> NormsReader? { normsByField[field] }

    /// The stored fields of `doc`, with their original JSON.
    public func document(_ doc: Int32) throws(SegmentError) -> [StoredField] { try stored.document(doc) }

    /// The numeric column of `field` (numbers, datetimes, booleans).
    public func numericDocValues(_ field: String) -> NumericDocValues? {
        if case .numeric(let c)? = columns[field] { return c }
        return nil
    }

    /// The keyword column of `field` (id, idlist and keyword fields).
    public func keywordDocValues(_ field: String) -> KeywordDocValues? {
        if case .keywords(let c)? = columns[field] { return c }
        return nil
    }

    /// Recomputes every file's checksum (before a merge reads the segment, or a snapshot ships it).
    public func verifyChecksums() throws(SegmentError) {
        for f in files {
            do {
                _ = try FileHeader.verify(f.file, kind: f.header.kind, segment: name, checksum: true)
            } catch {
                throw SegmentError.wrap(error, file: f.file.path)
            }
        }
    }

    /// The segment's immutable files.
    public var fileNames: [String] { info.fileNames }
}
