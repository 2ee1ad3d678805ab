internal import Yams

/// Request bodies as the REST API accepts them: JSON, YAML or NDJSON, chosen by Content-Type,
/// sniffed when there is none or when it is the form encoding `curl -d` sends by default.
///
/// Everything here is format work only; whether a document fits its index is
/// `DocumentBuilder`'s job. Errors are typed so the transport maps them to 400 or 415.
public enum RequestBody {
    /// The formats a body can be in.
    public enum Format: String, Sendable {
        case json, yaml, ndjson
    }

    /// One document of a body, with the exact JSON text of each member's value when the body
    /// was JSON (for stored fields).
    public struct Item: Sendable {
        public var members: [(key: String, value: JSONValue)]
        public var rawValues: [[UInt8]]?

        public init(members: [(key: String, value: JSONValue)], rawValues: [[UInt8]]? = nil) {
            self.members = members
            self.rawValues = rawValues
        }
    }

    /// An element of a bulk body: a document, or why that element is not one.
    public enum BulkElement: Sendable {
        case document(Item)
        case invalid(String)
    }

    /// The format of a body from its Content-Type (parameters such as `charset` ignored).
    /// Absent and form-encoded types are sniffed; other types are refused (HTTP 415).
    public static func format(contentType: String?, body: UnsafeBufferPointer<UInt8>) throws(RequestBodyError) -> Format {
        let mediaType = contentType?.split(separator: ";").first.map { $0.trimmingWhitespaceAndLowercased() } ?? ""
        switch mediaType {
        case "application/json", "text/json": return .json
        case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines": return .ndjson
        case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml": return .yaml
        case "", "application/x-www-form-urlencoded", "text/plain", "application/octet-stream": return sniff(body)
        default: throw .unsupportedMediaType(mediaType)
        }
    }

    /// JSON when the body starts like JSON, NDJSON when it is several JSON objects a line,
    /// YAML otherwise.
    static func sniff(_ body: UnsafeBufferPointer<UInt8>) -> Format {
        var i = 0
        while i < body.count, [0x20, 0x09, 0x0A, 0x0D].contains(body[i]) { i += 1 }
        guard i < body.count, body[i] == UInt8(ascii: "{") || body[i] == UInt8(ascii: "[") else { return .yaml }
        if body[i] == UInt8(ascii: "{"), (try? JSONParser.parse(body)) == nil, looksLikeNDJSON(body) { return .ndjson }
        return .json
    }

    private static func looksLikeNDJSON(_ body: UnsafeBufferPointer<UInt8>) -> Bool {
        var lines = 0
        for line in body.split(separator: 0x0A) where !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            guard line.first(where: { $0 != 0x20 && $0 != 0x09 }) == UInt8(ascii: "{") else { return false }
            lines += 1
        }
        return lines > 1
    }

    /// One document (PUT or PATCH of a single document).
    public static func document(_ body: UnsafeBufferPointer<UInt8>, format: Format) throws(RequestBodyError) -> Item {
        switch format {
        case .json, .ndjson:
            do {
                let (members, spans) = try JSONParser.parseObjectWithSpans(body)
                return Item(members: members, rawValues: spans.map { Array(UnsafeBufferPointer(rebasing: body[$0])) })
            } catch {
                throw .malformed("\(error)")
            }
        case .yaml:
            guard case .object(let members) = try yamlValue(body) else {
                throw .malformed("the body must be a mapping of field names to values")
            }
            return Item(members: members)
        }
    }

    /// The documents of a bulk put: a JSON or YAML array, or NDJSON (one object a line).
    /// A syntax error in an array fails the whole body; an element that is not an object, or
    /// an NDJSON line that does not parse, is reported by position so the caller can list
    /// every bad document.
    public static func documents(_ body: UnsafeBufferPointer<UInt8>, format: Format) throws(RequestBodyError) -> [BulkElement] {
        switch format {
        case .json:
            let items: [(value: JSONValue, spans: [Range<Int>]?)]
            do {
                items = try JSONParser.parseArrayWithSpans(body)
            } catch {
                throw .malformed("\(error)")
            }
            return items.map { item in
                guard case .object(let members) = item.value, let spans = item.spans else {
                    return .invalid("expected a document (an object), got \(item.value.typeDescription)")
                }
                return .document(Item(members: members, rawValues: spans.map { Array(UnsafeBufferPointer(rebasing: body[$0])) }))
            }
        case .ndjson:
            var elements: [BulkElement] = []
            var lineNumber = 0
            var start = 0
            while start <= body.count {
                let end = body[start...].firstIndex(of: 0x0A) ?? body.count
                lineNumber += 1
                let line = UnsafeBufferPointer(rebasing: body[start..<end])
                start = end + 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                // Lines are independent documents: a bad one is reported with the others (by
                // position, its line named), as a bad element of a JSON array is.
                do {
                    let (members, spans) = try JSONParser.parseObjectWithSpans(line)
                    elements.append(.document(Item(members: members, rawValues: spans.map { Array(UnsafeBufferPointer(rebasing: line[$0])) })))
                } catch {
                    elements.append(.invalid("line \(lineNumber): \(error)"))
                }
            }
            return elements
        case .yaml:
            guard case .array(let items) = try yamlValue(body) else {
                throw .malformed("the body must be a list of documents")
            }
            return items.map { item in
                guard case .object(let members) = item else {
                    return .invalid("expected a document (a mapping), got \(item.typeDescription)")
                }
                return .document(Item(members: members))
            }
        }
    }

    /// The ids of a bulk delete: an array of strings (or integers).
    public static func ids(_ body: UnsafeBufferPointer<UInt8>, format: Format) throws(RequestBodyError) -> [String] {
        let value: JSONValue
        switch format {
        case .json, .ndjson:
            do { value = try JSONParser.parse(body) } catch { throw .malformed("\(error)") }
        case .yaml:
            value = try yamlValue(body)
        }
        guard case .array(let items) = value else { throw .malformed("the body must be a list of ids") }
        var ids: [String] = []
        for (i, item) in items.enumerated() {
            switch item {
            case .string(let s) where !s.isEmpty && s.utf8.count <= DocumentBuilder.maxIDBytes: ids.append(s)
            case .number(let n) where !n.contains(".") && !n.contains("e") && !n.contains("E"): ids.append(n)
            default: throw .malformed("item \(i): expected an id (a non-empty string of at most \(DocumentBuilder.maxIDBytes) bytes), got \(item.typeDescription)")
            }
        }
        return ids
    }

    /// A YAML body as JSON values (aliases bounded, as for configs). Plain numbers keep their
    /// text when it is valid JSON (`1.50` stays `1.50`), so stored fields come back as sent.
    public static func yamlValue(_ body: UnsafeBufferPointer<UInt8>) throws(RequestBodyError) -> JSONValue {
        var iterator = body.makeIterator()
        var decoder = UTF8()
        scan: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: break scan
            case .error: throw .malformed("the body is not valid UTF-8")
            }
        }
        let text = String(decoding: body, as: UTF8.self)
        let node: Node?
        do {
            try YAMLExpansionGuard.check(text, maxNodes: ConfigParser.defaultMaxNodes)
            node = try Yams.compose(yaml: text, .basic)
        } catch let error as ConfigError {
            throw .malformed("\(error)")
        } catch let error as YamlError {
            throw .malformed("not valid YAML: \(ConfigParser.describe(error))")
        } catch {
            throw .malformed("not valid YAML: \(error)")
        }
        guard let node else { return .null }
        return try jsonValue(node)
    }

    private static func jsonValue(_ node: Node) throws(RequestBodyError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain || scalar.style == .any else { return .string(scalar.string) }
            switch ConfigParser.resolvePlain(scalar.string) {
            case .null: return .null
            case .bool(let b): return .bool(b)
            case .int(let i): return .number(isJSONNumber(scalar.string) ? scalar.string : String(i))
            case .double(let d):
                guard d.isFinite else { throw .malformed("'\(scalar.string)' is not a JSON number") }
                return .number(isJSONNumber(scalar.string) ? scalar.string : String(d))
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for item in sequence { items.append(try jsonValue(item)) }
            return .array(items)
        case .mapping(let mapping):
            var members: [(key: String, value: JSONValue)] = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else { throw .malformed("mapping keys must be plain strings") }
                members.append((keyScalar.string, try jsonValue(value)))
            }
            return .object(members)
        case .alias:
            throw .malformed("unresolved YAML alias")
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    static func isJSONNumber(_ text: String) -> Bool {
        var s = Substring(text).utf8[...]
        func digits() -> Int {
            var n = 0
            while let c = s.first, c >= 48 && c <= 57 { s = s.dropFirst(); n += 1 }
            return n
        }
        if s.first == UInt8(ascii: "-") { s = s.dropFirst() }
        if s.first == UInt8(ascii: "0") {
            s = s.dropFirst()
        } else if digits() == 0 {
            return false
        }
        if s.first == UInt8(ascii: ".") {
            s = s.dropFirst()
            if digits() == 0 { return false }
        }
        if s.first == UInt8(ascii: "e") || s.first == UInt8(ascii: "E") {
            s = s.dropFirst()
            if s.first == UInt8(ascii: "+") || s.first == UInt8(ascii: "-") { s = s.dropFirst() }
            if digits() == 0 { return false }
        }
        return s.isEmpty
    }
}

/// Why a body could not be read.
public enum RequestBodyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A Content-Type the API does not take (HTTP 415).
    case unsupportedMediaType(String)
    /// Not valid JSON / YAML / NDJSON, or not the expected shape (HTTP 400).
    case malformed(String)

    public var description: String {
        switch self {
        case .unsupportedMediaType(let type):
            "unsupported Content-Type '\(type)': send application/json, application/yaml or application/x-ndjson"
        case .malformed(let reason):
            reason
        }
    }
}

extension Substring {
    func trimmingWhitespaceAndLowercased() -> String {
        String(self).trimmingWhitespace().lowercased()
    }
}
