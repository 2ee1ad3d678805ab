import Core

/// The search parameters of API.md, read from a query string into a `SearchRequest`, each
/// error naming its parameter.
struct SearchParameters {
    var request: SearchRequest
    var explain: Bool

    init(_ query: QueryItems, config: IndexConfig) throws(APIError) {
        let searchFields = query.list("search_field")
        let parser: QueryParser
        do {
            if let searchFields, !searchFields.isEmpty {
                parser = try QueryParser(config: config, defaultFields: searchFields)
            } else {
                parser = try QueryParser(config: config)
            }
        } catch {
            throw .invalidParameter("search_field", "\(error)")
        }
        let text = query["query"] ?? "*"
        let parsed: Query
        do { parsed = try parser.parse(text) } catch { throw RESTAPI.queryError(error, parameter: "query") }
        var filter: Query?
        if let filterText = query["filter"] {
            do { filter = try parser.parse(filterText) } catch { throw RESTAPI.queryError(error, parameter: "filter") }
        }
        let pageLen = try query.int("page_len", default: 10, in: 0...SearchRequest.maxWindow)
        let pageNum = try query.int("page_num", default: 1, in: 1...Int(Int32.max))
        guard pageNum * max(pageLen, 1) <= SearchRequest.maxWindow else {
            throw .invalidParameter("page_num", "page_num * page_len is \(pageNum * pageLen), over the limit of \(SearchRequest.maxWindow); use search_after to page deeper")
        }
        var trackTotal: Int? = SearchRequest.defaultTrackTotal
        if let text = query["track_total"] {
            switch text.lowercased() {
            case "true": trackTotal = nil
            case "false": trackTotal = 0
            default:
                guard let n = Int(text), n >= 0 else {
                    throw .invalidParameter("track_total", "'\(text)' is not true, false or a non-negative integer")
                }
                trackTotal = n
            }
        }
        var sort: SearchSort?
        if let text = query["sort"] {
            guard let parsedSort = SearchSort(parameter: text) else {
                throw .invalidParameter("sort", "'\(text)' is not a field name, optionally prefixed with '-'")
            }
            sort = parsedSort
        }
        var searchAfter: ScoredDoc?
        var searchAfterSortValue: SortValue?
        if let text = query["search_after"] {
            guard let cursor = Self.parseCursor(text) else {
                throw .invalidParameter("search_after", "'\(text)' is not a cursor from a previous hit")
            }
            (searchAfter, searchAfterSortValue) = cursor
        }
        var highlight: HighlightOptions?
        if let field = query["highlight"] {
            guard let fieldConfig = config.field(field) else {
                throw .invalidParameter("highlight", "no field '\(field)' (one stored text field); fields: \(config.fields.map(\.name).joined(separator: ", "))")
            }
            guard fieldConfig.stored, fieldConfig.analyzer != nil else {
                throw .invalidParameter("highlight", "field '\(field)' is not a stored, analyzed text field")
            }
            var options = HighlightOptions(field: field)
            if let pre = query["highlight_pre_tag"] { options.preTag = pre }
            if let post = query["highlight_post_tag"] { options.postTag = post }
            options.fragmentSize = try query.int("highlight_fragment_size", default: options.fragmentSize, in: 10...10_000)
            options.maxFragments = try query.int("highlight_fragments", default: options.maxFragments, in: 1...100)
            highlight = options
        }
        request = SearchRequest(
            query: parsed, filter: filter, pageNum: pageNum, pageLen: pageLen, trackTotal: trackTotal,
            fields: query.list("fields"), searchAfter: searchAfter, sort: sort,
            facets: query.list("facets") ?? [], facetSize: try query.int("facet_size", default: 10, in: 1...10_000),
            highlight: highlight, searchAfterSortValue: searchAfterSortValue)
        explain = try query.bool("explain")
    }

    /// A hit's cursor: its score's exact bits and its document, as text, after its sort value
    /// when the search was sorted (`n<int>`, `b<hex bytes>` or `m` for none, then a `.`).
    static func cursor(_ doc: ScoredDoc, sortValue: SortValue? = nil) -> String {
        var text = ""
        switch sortValue {
        case .number(let n): text = "n\(n)."
        case .bytes(let bytes): text = "b" + bytes.map { String(format: "%02x", $0) }.joined() + "."
        case .missing: text = "m."
        case nil: break
        }
        return text + String(doc.score.bitPattern, radix: 16) + "-" + String(doc.doc)
    }

    static func parseCursor(_ text: String) -> (ScoredDoc, SortValue?)? {
        var rest = Substring(text)
        var sortValue: SortValue?
        if let dot = rest.firstIndex(of: ".") {
            guard let value = parseSortValue(rest[..<dot]) else { return nil }
            sortValue = value
            rest = rest[rest.index(after: dot)...]
        }
        let parts = rest.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, let bits = UInt32(parts[0], radix: 16), let doc = Int(parts[1]), doc >= 0 else { return nil }
        return (ScoredDoc(score: Float(bitPattern: bits), doc: doc), sortValue)
    }

    private static func parseSortValue(_ text: Substring) -> SortValue? {
        switch text.first {
        case "n": return Int64(text.dropFirst()).map { .number($0) }
        case "m": return text.count == 1 ? .missing : nil
        case "b":
            let hex = Array(text.dropFirst().utf8)
            guard hex.count % 2 == 0, hex.count <= 2048 else { return nil }
            var bytes: [UInt8] = []
            for i in stride(from: 0, to: hex.count, by: 2) {
                guard let byte = UInt8(String(decoding: hex[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(byte)
            }
            return .bytes(bytes)
        default: return nil
        }
    }
}
