import Foundation
import Core
@testable import Analyzers

/// The Whoosh reference fixtures (Fixtures/whoosh_reference.json, made by Fixtures/generate.py).
struct ReferenceFixture: Decodable, Sendable {
    struct Case: Decodable, Sendable {
        var name: String
        var mode: String
        var spec: JSONValue
        var texts: [Int]
        /// Per text: [term, position, start, end] with null offsets where Whoosh gives none.
        var tokens: [[[JSONValue]]]
    }

    var texts: [String]
    var cases: [Case]
    var porter: [[String]]
    var snowball_english: [[String]]

    static let shared: ReferenceFixture = {
        guard let url = Bundle.module.url(forResource: "whoosh_reference", withExtension: "json", subdirectory: "Fixtures")
                ?? Bundle.module.url(forResource: "whoosh_reference", withExtension: "json"),
              let data = try? Data(contentsOf: url),
              let fixture = try? JSONDecoder().decode(ReferenceFixture.self, from: data) else {
            return ReferenceFixture(texts: [], cases: [], porter: [], snowball_english: [])
        }
        return fixture
    }()

    static var caseNames: [String] { shared.cases.map(\.name) }
}

/// A JSON value that keeps booleans apart from numbers (the fixtures' component args).
enum JSONValue: Decodable, Sendable, Equatable {
    case null, bool(Bool), int(Int), double(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    var configValue: ConfigValue {
        switch self {
        case .null: .null
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .double(let d): .double(d)
        case .string(let s): .string(s)
        case .array(let a): .list(a.map(\.configValue))
        case .object(let o): .map(ConfigMap(o.keys.sorted().map { ($0, o[$0]!.configValue) }))
        }
    }

    var string: String? { if case .string(let s) = self { s } else { nil } }
    var int: Int? { if case .int(let i) = self { i } else { nil } }
    subscript(key: String) -> JSONValue? { if case .object(let o) = self { o[key] } else { nil } }
    var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
}

enum TestRegistry {
    /// One registry with the built-ins, shared by the tests (registries are thread-safe).
    static let shared: Registry = {
        let registry = Registry()
        try? BuiltinAnalysis.register(into: registry)
        return registry
    }()

    static func args(_ value: JSONValue?, path: String) -> ComponentArgs {
        guard case .map(let map)? = value?.configValue else { return ComponentArgs(path: path) }
        return ComponentArgs(map, path: path)
    }

    /// Builds the analyzer a fixture spec describes, through the registry as a config would.
    static func analyzer(for spec: JSONValue) throws -> any Analyzer {
        let registry = shared
        if let name = spec["analyzer"]?.string {
            return try registry.make(.analyzer, name: name, args: args(spec["args"], path: "analyzers.test.args"), path: "analyzers.test.class")
        }
        let t = spec["tokenizer"]
        let tokenizer = try registry.make(.tokenizer, name: t?["name"]?.string ?? "", args: args(t?["args"], path: "tokenizers.test.args"),
                                          path: "tokenizers.test.class")
        var filters: [any TokenFilter] = []
        for (i, f) in (spec["filters"]?.array ?? []).enumerated() {
            filters.append(try registry.make(.filter, name: f["name"]?.string ?? "", args: args(f["args"], path: "filters.f\(i).args"),
                                             path: "filters.f\(i).class"))
        }
        return ChainAnalyzer(tokenizer: tokenizer, filters: filters)
    }
}
