/// How one field is represented in a segment (recorded in the segment's `.si` file, so a
/// segment stays readable whatever the index config says later).
public struct SegmentFieldInfo: Sendable, Equatable {
    public enum DocValuesKind: UInt8, Sendable {
        /// One Int64 per document: numbers (doubles as order-preserving bits), datetimes
        /// (microseconds since 1970), booleans (0/1).
        case numeric = 1
        /// A sorted set of byte strings per document (keyword and id values).
        case keywords = 2
    }

    /// The field's number in this segment's files.
    public var number: Int
    public var name: String
    public var type: FieldType
    /// Whether the field has terms in the inverted index.
    public var indexed: Bool
    public var hasPositions: Bool
    /// Whether a one-byte length norm is kept per document.
    public var hasNorms: Bool
    public var stored: Bool
    public var docValues: DocValuesKind?

    public init(number: Int, name: String, type: FieldType, indexed: Bool, hasPositions: Bool, hasNorms: Bool, stored: Bool, docValues: DocValuesKind?) {
        self.number = number
        self.name = name
        self.type = type
        self.indexed = indexed
        self.hasPositions = hasPositions
        self.hasNorms = hasNorms
        self.stored = stored
        self.docValues = docValues
    }

    /// The representation the index config asks for. Numeric, datetime and boolean fields are
    /// not in the inverted index: their queries (terms and ranges) run on doc values. The
    /// unique id field gets no keyword column unless it is `sortable` (as Elasticsearch's
    /// `_id`): its values are already in the term dictionary and the stored fields, and a
    /// column of one distinct value per document would add a tenth to the index.
    public init(number: Int, config: FieldConfig) {
        let indexed = config.type.isAnalyzed
        let docValues: DocValuesKind?
        switch config.type {
        case .numeric, .datetime, .boolean: docValues = .numeric
        case .id, .idlist, .keyword: docValues = config.unique && !config.sortable ? nil : .keywords
        default: docValues = config.sortable ? .keywords : nil
        }
        let norms = indexed && config.type != .id && config.type != .idlist && !config.unique
        self.init(number: number, name: config.name, type: config.type, indexed: indexed,
                  hasPositions: indexed && config.positions, hasNorms: norms, stored: config.stored, docValues: docValues)
    }
}

/// The `.si` file: a segment's document count and field table.
public struct SegmentInfo: Sendable, Equatable {
    public static let kind = "segment-info"
    public var name: String
    /// Documents in the segment, deleted ones included; doc ids are 0..<maxDoc.
    public var maxDoc: Int
    public var fields: [SegmentFieldInfo]
    public var codecName: String
    public var codecVersion: Int

    public init(name: String, maxDoc: Int, fields: [SegmentFieldInfo], codecName: String, codecVersion: Int) {
        self.name = name
        self.maxDoc = maxDoc
        self.fields = fields
        self.codecName = codecName
        self.codecVersion = codecVersion
    }

    public func field(named name: String) -> SegmentFieldInfo? { fields.first { $0.name == name } }

    func encode() -> [UInt8] {
        var out = DataOutput()
        out.writeVInt(maxDoc)
        out.writeVInt(fields.count)
        for f in fields {
            out.writeVInt(f.number)
            out.writeString(f.name)
            out.writeString(f.type.rawValue)
            var flags: UInt8 = 0
            if f.indexed { flags |= 1 }
            if f.hasPositions { flags |= 2 }
            if f.hasNorms { flags |= 4 }
            if f.stored { flags |= 8 }
            out.writeByte(flags)
            out.writeByte(f.docValues?.rawValue ?? 0)
        }
        return IndexDirectory.fileImage(header: FileHeader(kind: Self.kind, codecName: codecName, codecVersion: codecVersion, segment: name), body: out.bytes)
    }

    static func decode(_ file: VerifiedFile) throws(SegmentError) -> SegmentInfo {
        var input = file.input(at: file.body.lowerBound)
        do {
            let maxDoc = try input.readVInt(max: Int(Int32.max) - 1)
            let count = try input.readVInt(max: 1 << 16)
            var fields: [SegmentFieldInfo] = []
            for _ in 0..<count {
                let number = try input.readVInt(max: 1 << 16)
                let name = try input.readString(max: 1 << 16)
                let typeName = try input.readString(max: 64)
                guard let type = FieldType(rawValue: typeName) else { throw input.corrupt("unknown field type '\(typeName)'") }
                let flags = try input.readByte()
                let dv = try input.readByte()
                fields.append(SegmentFieldInfo(number: number, name: name, type: type, indexed: flags & 1 != 0, hasPositions: flags & 2 != 0,
                                               hasNorms: flags & 4 != 0, stored: flags & 8 != 0, docValues: SegmentFieldInfo.DocValuesKind(rawValue: dv)))
            }
            return SegmentInfo(name: file.header.segment, maxDoc: maxDoc, fields: fields, codecName: file.header.codecName, codecVersion: file.header.codecVersion)
        } catch {
            throw SegmentError.wrap(error, file: file.file.path)
        }
    }

    /// The names of the segment's immutable files (live-docs generations are separate).
    public var fileNames: [String] {
        SegmentFileNames.all(name)
    }
}

/// The file names of a segment.
public enum SegmentFileNames {
    public static func info(_ s: String) -> String { s + ".si" }
    public static func terms(_ s: String) -> String { s + ".ter" }
    public static func postings(_ s: String) -> String { s + ".doc" }
    public static func positions(_ s: String) -> String { s + ".pos" }
    public static func norms(_ s: String) -> String { s + ".nrm" }
    public static func stored(_ s: String) -> String { s + ".sto" }
    public static func docValues(_ s: String) -> String { s + ".dv" }
    /// Live docs generation `gen` (>= 1).
    public static func liveDocs(_ s: String, generation: Int) -> String { s + "_" + String(generation, radix: 36) + ".del" }
    public static func all(_ s: String) -> [String] {
        [info(s), terms(s), postings(s), positions(s), norms(s), stored(s), docValues(s)]
    }
}
