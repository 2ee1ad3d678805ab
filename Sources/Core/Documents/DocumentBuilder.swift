/// Checks a document from a request against an index config and turns it into the `Document`
/// the index writer takes.
///
/// This runs before anything is logged (API.md: a bad document is a 400 and nothing of the
/// request is written), so it is strict: a field the schema does not name, a value of the
/// wrong type, a number out of its field's range, an unparseable datetime, a missing or
/// conflicting id are all errors naming the field.
public struct DocumentBuilder: Sendable {
    public let config: IndexConfig
    /// The longest id accepted, in bytes: ids are keys in every segment's term dictionary.
    public static let maxIDBytes = 512

    public init(config: IndexConfig) {
        self.config = config
    }

    /// Builds a document from JSON bytes, keeping stored fields' exact text.
    ///
    /// - Parameter id: the id from the request path, if any; a different id in the body is an error.
    public func build(json: UnsafeBufferPointer<UInt8>, id: String? = nil) throws(DocumentError) -> (id: String, document: Document) {
        let parsed: (members: [(key: String, value: JSONValue)], spans: [Range<Int>])
        do {
            parsed = try JSONParser.parseObjectWithSpans(json)
        } catch {
            throw DocumentError(field: nil, reason: error.description)
        }
        let raw = parsed.spans.map { Array(UnsafeBufferPointer(rebasing: json[$0])) }
        return try build(members: parsed.members, rawValues: raw, id: id)
    }

    /// Builds a document from a parsed request body item.
    public func build(_ item: RequestBody.Item, id: String? = nil) throws(DocumentError) -> (id: String, document: Document) {
        try build(members: item.members, rawValues: item.rawValues, id: id)
    }

    /// Builds a document from parsed members (YAML bodies, bulk items).
    ///
    /// - Parameter rawValues: the exact JSON text of each member's value, parallel to `members`,
    ///   when the body was JSON; otherwise stored values are rendered as compact JSON.
    public func build(members: [(key: String, value: JSONValue)], rawValues: [[UInt8]]? = nil,
                      id: String? = nil) throws(DocumentError) -> (id: String, document: Document) {
        var document = Document()
        var bodyID: String?
        for (i, member) in members.enumerated() {
            guard let field = config.field(member.key) else {
                throw DocumentError(field: member.key, reason: "field '\(member.key)' is not in the schema; fields: \(config.fields.map(\.name).joined(separator: ", "))")
            }
            if case .null = member.value { continue }
            let values = try Self.values(of: member.value, for: field)
            if field.name == config.idField {
                bodyID = try Self.idText(member.value, field: field.name)
            }
            var storedJSON: [UInt8]?
            if field.stored {
                if let rawValues, i < rawValues.count {
                    storedJSON = rawValues[i]
                } else {
                    var out: [UInt8] = []
                    member.value.appendJSON(to: &out)
                    storedJSON = out
                }
            }
            document.fields.append(Document.Field(name: field.name, values: values, storedJSON: storedJSON))
        }
        let finalID: String
        switch (id, bodyID) {
        case (let path?, let body?) where path != body:
            throw DocumentError(field: config.idField, reason: "the body's id '\(body)' differs from the id '\(path)' in the path")
        case (let path?, nil):
            try Self.checkID(path, field: config.idField)
            finalID = path
            var stored: [UInt8]?
            if config.field(config.idField)?.stored == true {
                var out: [UInt8] = []
                JSONValue.appendQuoted(path, to: &out)
                stored = out
            }
            document.fields.insert(Document.Field(name: config.idField, values: [.text(path)], storedJSON: stored), at: 0)
        case (_, let body?):
            finalID = body
        case (nil, nil):
            throw DocumentError(field: config.idField, reason: "the document has no id (field '\(config.idField)')")
        }
        return (finalID, document)
    }

    private static func checkID(_ id: String, field: String) throws(DocumentError) {
        guard !id.isEmpty else { throw DocumentError(field: field, reason: "the id is empty") }
        guard id.utf8.count <= maxIDBytes else {
            throw DocumentError(field: field, reason: "the id is longer than \(maxIDBytes) bytes")
        }
    }

    private static func idText(_ value: JSONValue, field: String) throws(DocumentError) -> String {
        let text: String
        switch value {
        case .string(let s): text = s
        case .number(let n) where !n.contains(".") && !n.contains("e") && !n.contains("E"): text = n
        default: throw DocumentError(field: field, reason: "field '\(field)' is the id: expected a string, got \(value.typeDescription)")
        }
        try checkID(text, field: field)
        return text
    }

    /// The values of one field, checked against its type. An array gives a multi-valued field.
    static func values(of value: JSONValue, for field: FieldConfig) throws(DocumentError) -> [Document.Value] {
        if case .array(let items) = value {
            guard field.type != .stored else { return [] }
            if field.type == .keyword || field.type == .idlist {
                var words: [String] = []
                for item in items {
                    guard case .string(let s) = item else {
                        throw DocumentError(field: field.name, reason: "field '\(field.name)' (\(field.type.rawValue)): expected strings in the array, got \(item.typeDescription)")
                    }
                    words.append(s)
                }
                return [.keywords(words)]
            }
            var values: [Document.Value] = []
            for item in items {
                if case .array = item {
                    throw DocumentError(field: field.name, reason: "field '\(field.name)': nested arrays are not allowed")
                }
                values.append(contentsOf: try Self.values(of: item, for: field))
            }
            return values
        }
        func wrongType(_ expected: String) -> DocumentError {
            DocumentError(field: field.name, reason: "field '\(field.name)' (\(field.type.rawValue)): expected \(expected), got \(value.typeDescription)")
        }
        switch field.type {
        case .stored:
            return []
        case .text, .id, .idlist, .keyword, .ngram, .ngramwords:
            switch value {
            case .string(let s): return [.text(s)]
            case .number(let n) where field.type == .id || field.type == .keyword: return [.text(n)]
            default: throw wrongType("a string")
            }
        case .numeric:
            let options = field.numeric ?? NumericOptions()
            let text: String
            switch value {
            case .number(let n): text = n
            case .string(let s): text = s.trimmingWhitespace()
            default: throw wrongType("a number")
            }
            return [try numericValue(text, options: options, field: field.name)]
        case .datetime:
            let s: String
            switch value {
            case .string(let text): s = text
            case .number(let digits) where digits.allSatisfy(\.isNumber): s = digits  // YAML's unquoted 20180704054100
            default: throw wrongType("a datetime string (YYYYMMDDhhmmss or ISO 8601)")
            }
            guard let period = DateTimeValue.parse(s) else {
                throw DocumentError(field: field.name, reason: "field '\(field.name)' (datetime): '\(s)' is not YYYYMMDDhhmmss (or a prefix of it) nor ISO 8601")
            }
            return [.datetime(period.start)]
        case .boolean:
            switch value {
            case .bool(let b): return [.bool(b)]
            case .string(let s):
                switch s.lowercased() {
                case "true", "yes", "t", "1": return [.bool(true)]
                case "false", "no", "f", "0": return [.bool(false)]
                default: throw wrongType("true or false")
                }
            case .number("0"): return [.bool(false)]
            case .number("1"): return [.bool(true)]
            default: throw wrongType("true or false")
            }
        }
    }

    static func numericValue(_ text: String, options: NumericOptions, field: String) throws(DocumentError) -> Document.Value {
        switch options.kind {
        case .int:
            let integer: Int64
            if let exact = Int64(text) {
                integer = exact
            } else if let double = Double(text), double.isFinite, double == double.rounded(), abs(double) < 9.2e18 {
                integer = Int64(double)
            } else {
                throw DocumentError(field: field, reason: "field '\(field)' (numeric int): '\(text)' is not an integer")
            }
            let bits = Int64(options.bits)
            let range: ClosedRange<Int64> = options.signed
                ? (bits == 64 ? Int64.min...Int64.max : -(Int64(1) << (bits - 1))...(Int64(1) << (bits - 1)) - 1)
                : (bits == 64 ? 0...Int64.max : 0...(Int64(1) << bits) - 1)
            guard range.contains(integer) else {
                throw DocumentError(field: field, reason: "field '\(field)' (numeric int, \(options.bits) bits\(options.signed ? "" : ", unsigned")): \(text) is out of range \(range.lowerBound)...\(range.upperBound)")
            }
            return .int(integer)
        case .float:
            guard let double = Double(text), double.isFinite else {
                throw DocumentError(field: field, reason: "field '\(field)' (numeric float): '\(text)' is not a finite number")
            }
            if options.bits == 32 && abs(double) > Double(Float.greatestFiniteMagnitude) {
                throw DocumentError(field: field, reason: "field '\(field)' (numeric float, 32 bits): \(text) is out of range")
            }
            return .double(double)
        }
    }
}

/// Why a document was refused; the server adds the document's position and id in a bulk.
public struct DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field at fault, if one is.
    public var field: String?
    public var reason: String

    public init(field: String?, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { reason }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
