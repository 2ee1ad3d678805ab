import Core
import Hummingbird

/// Search and analyze.
extension RESTAPI {
    func search(_ call: Call) async throws -> Response {
        let node = try self.node
        let index = try openIndex(call)
        if let barrier = try await consistency(call) {
            // Searches see what a refresh published: make one cover the barrier.
            do { try await node.waitUntilSearchable(barrier) } catch {
                throw APIError.unavailable("not_ready", "a linearizable search could not be made current: \(error)")
            }
        }
        var weightingOverride: WeightingConfig?
        if call.request.method == .post {
            let body = try await bodies.read(call.request)
            if body.readableBytes > 0 {
                _ = try BodyReader.format(of: call.request, body: body)
                do {
                    weightingOverride = try FieldWeightings.parseOverride(try BodyReader.text(body))
                } catch let error as ConfigError {
                    throw Self.configError(error, what: "weighting override")
                }
            }
        }
        let parameters = try SearchParameters(call.query, config: index.config)
        let weightings: FieldWeightings
        do {
            weightings = try FieldWeightings.resolve(config: index.config, override: weightingOverride, registry: registry)
        } catch {
            throw Self.configError(error, what: "weighting override")
        }
        var request = parameters.request
        request.weightings = weightings
        let searcher = Searcher(snapshot: index.writer.snapshot(), config: index.config, storedFields: storedFieldsCache(for: index))
        let result: SearchResult
        do {
            result = try searcher.search(request)
        } catch {
            throw Self.searchError(error)
        }
        var hits: [JSONValue] = []
        hits.reserveCapacity(result.hits.count)
        for hit in result.hits {
            var members: [(key: String, value: JSONValue)] = [
                ("doc", .object([("fields", Self.fields(hit.fields, only: nil))])),
                ("score", .float(hit.score)),
                ("rank", .int(hit.rank)),
                ("pos", .int(hit.rank)),
                ("cursor", .string(SearchParameters.cursor(hit.cursor, sortValue: hit.sortValue))),
            ]
            if request.highlight != nil { members.append(("highlights", .array(hit.highlights.map { .string($0) }))) }
            if parameters.explain {
                let explanation: Explanation?
                do { explanation = try searcher.explain(request.query, doc: hit.doc, weightings: weightings) }
                catch { throw Self.searchError(error) }
                members.append(("explanation", explanation.map(Self.json) ?? .null))
            }
            hits.append(.object(members))
        }
        var results: [(key: String, value: JSONValue)] = [
            ("is_last_page", .bool(result.isLastPage)),
            ("page_count", .int(result.pageCount)),
            ("page_len", .int(result.hits.count)),
            ("page_num", .int(result.pageNum)),
            ("total", .int(result.total)),
            ("total_relation", .string(result.totalRelation.rawValue)),
            ("hits", .array(hits)),
        ]
        if !result.facets.isEmpty {
            results.append(("facets", .object(result.facets.map { facet in
                (facet.field, .object([
                    ("values", .array(facet.values.map { .object([("value", .string($0.value)), ("count", .int($0.count))]) })),
                    ("distinct_values", .int(facet.distinctValues)),
                ]))
            })))
        }
        return call.reply([("results", .object(results))])
    }

    static func searchError(_ error: SearchError) -> APIError {
        switch error {
        case .badRequest(let parameter, let message): .invalidParameter(parameter, message)
        case .segment(let error): .internalError("reading the index failed: \(error)")
        }
    }

    static func json(_ explanation: Explanation) -> JSONValue {
        .object([
            ("value", .float(explanation.value)),
            ("description", .string(explanation.description)),
            ("details", .array(explanation.details.map(json))),
        ])
    }

    func analyze(_ call: Call) async throws -> Response {
        let index = try openIndex(call)
        guard let text = call.query["text"] else { throw APIError.invalidParameter("text", "is required") }
        let analyzer: any Analyzer
        switch (call.query["field"], call.query["analyzer"]) {
        case (let field?, nil):
            guard let config = index.config.field(field) else {
                throw APIError.invalidParameter("field", "no field '\(field)' in index '\(index.name)'; fields: \(index.config.fields.map(\.name).joined(separator: ", "))")
            }
            guard let fieldAnalyzer = config.analyzer else {
                throw APIError.invalidParameter("field", "field '\(field)' is of type \(config.type.rawValue), which is not analyzed")
            }
            analyzer = fieldAnalyzer
        case (nil, let name?):
            if let configured = index.config.analyzers[name] {
                analyzer = configured
            } else {
                do {
                    analyzer = try registry.make(.analyzer, name: name, args: ComponentArgs(path: "analyzer"), path: "analyzer")
                } catch {
                    throw APIError.invalidParameter("analyzer", "\(error)")
                }
            }
        default:
            throw APIError.invalidParameter("field", "give exactly one of 'field' and 'analyzer'")
        }
        let mode: AnalysisMode = try call.query.bool("query") ? .query : .index
        let tokens: [JSONValue] = analyzer.analyzedTokens(text, mode: mode).map {
            .object([("token", .string($0.token)), ("position", .int($0.position)),
                     ("start_offset", .int($0.startOffset)), ("end_offset", .int($0.endOffset))])
        }
        return call.reply([("tokens", .array(tokens))])
    }
}
