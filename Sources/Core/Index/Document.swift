/// A document as the index writer takes it: field names to values, plus the original JSON of
/// the stored values so they come back exactly as the client sent them (API.md).
///
/// The server converts request JSON into this; tests and the benchmark build it directly.
/// A field may have several values (multi-valued text is indexed with a position gap between
/// values, so a phrase never spans two values).
public struct Document: Sendable, Equatable {
    /// One value of a field.
    public enum Value: Sendable, Equatable {
        /// Text, analyzed by the field's analyzer (id and keyword fields without one take it as
        /// one term).
        case text(String)
        case int(Int64)
        case double(Double)
        /// Microseconds since 1970-01-01T00:00:00Z.
        case datetime(Int64)
        case bool(Bool)
        /// Keywords, each one term (through the field's analyzer when it has one).
        case keywords([String])
    }

    /// One field of the document.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var values: [Value]
        /// The value exactly as sent (JSON), kept when the field is stored. When nil, a stored
        /// field keeps a JSON rendering of `values`.
        public var storedJSON: [UInt8]?

        public init(name: String, values: [Value], storedJSON: [UInt8]? = nil) {
            self.name = name
            self.values = values
            self.storedJSON = storedJSON
        }
    }

    public var fields: [Field]

    public init(fields: [Field] = []) {
        self.fields = fields
    }

    /// Adds a field with one value.
    public mutating func add(_ name: String, _ value: Value, storedJSON: [UInt8]? = nil) {
        fields.append(Field(name: name, values: [value], storedJSON: storedJSON))
    }

    /// A document with the given text fields (tests, tools).
    public init(_ texts: KeyValuePairs<String, String>) {
        fields = texts.map { Field(name: $0.key, values: [.text($0.value)]) }
    }

    /// The text of the first value of `name`, if it is text or keywords.
    public func text(_ name: String) -> String? {
        guard let f = fields.first(where: { $0.name == name }), let v = f.values.first else { return nil }
        switch v {
        case .text(let s): return s
        case .keywords(let k): return k.first
        case .int(let i): return String(i)
        default: return nil
        }
    }
}

extension Document.Value {
    /// The value as JSON (what a stored field keeps when no original JSON was given).
    func appendJSON(to out: inout [UInt8]) {
        switch self {
        case .text(let s): JSONValue.appendQuoted(s, to: &out)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): out.append(contentsOf: (d.isFinite ? String(d) : "null").utf8)
        case .datetime(let t): out.append(contentsOf: String(t).utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .keywords(let k):
            out.append(UInt8(ascii: "["))
            for (i, s) in k.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.appendQuoted(s, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
    }
}
