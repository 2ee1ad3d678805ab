import Foundation

internal import Yams

/// Parses YAML or JSON text into `ConfigValue`s.
///
/// JSON is read by the same YAML parser (JSON is YAML's flow style), so both formats give the
/// same values and the same errors. Plain scalars are resolved by the YAML 1.2 core schema.
/// YAML aliases are expanded, but only up to `maxNodes` values in all: a small file whose
/// aliases nest into billions of nodes ("billion laughs") is refused, not expanded.
public enum ConfigParser {
    /// The default bound on the values a document may expand to.
    public static let defaultMaxNodes = 200_000

    /// Parses one YAML or JSON document. An empty document is `.null`.
    public static func parse(_ text: String, maxNodes: Int = defaultMaxNodes) throws(ConfigError) -> ConfigValue {
        try YAMLExpansionGuard.check(text, maxNodes: maxNodes)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw .syntax(reason: describe(error))
        } catch {
            throw .syntax(reason: "\(error)")
        }
        guard let node else { return .null }
        return try convert(node, path: "")
    }

    static func describe(_ error: YamlError) -> String {
        // YamlError's description carries the line and column and a caret excerpt: the whole
        // offending line, which for a one-line body is the body. Keep each line short.
        String(describing: error).trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.count > 160 ? $0.prefix(160) + "…" : $0 }
            .joined(separator: "\n")
    }

    /// Builds the values; `YAMLExpansionGuard` has already bounded how many there are.
    private static func convert(_ node: Node, path: String) throws(ConfigError) -> ConfigValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain || scalar.style == .any {
                return resolvePlain(scalar.string)
            }
            return .string(scalar.string)
        case .sequence(let sequence):
            var items: [ConfigValue] = []
            items.reserveCapacity(sequence.count)
            for (i, item) in sequence.enumerated() {
                items.append(try convert(item, path: "\(path)[\(i)]"))
            }
            return .list(items)
        case .mapping(let mapping):
            // Entries are appended, not `set`: Yams already refuses duplicate keys, and a
            // lookup per key would make a large mapping quadratic.
            var entries: [(key: String, value: ConfigValue)] = []
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let key) = keyNode else {
                    throw .invalid(path: path.isEmpty ? "(document)" : path, reason: "mapping keys must be plain strings")
                }
                let childPath = path.isEmpty ? key.string : "\(path).\(key.string)"
                entries.append((key.string, try convert(valueNode, path: childPath)))
            }
            return .map(ConfigMap(entries))
        case .alias:
            throw .invalid(path: path, reason: "unresolved YAML alias")
        }
    }

    /// YAML 1.2 core schema resolution of a plain scalar.
    static func resolvePlain(_ text: String) -> ConfigValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        let utf8 = Array(text.utf8)
        if isDecimalInteger(utf8), let value = Int(text) { return .int(value) }
        if text.hasPrefix("0x"), let value = Int(text.dropFirst(2), radix: 16) { return .int(value) }
        if text.hasPrefix("0o"), let value = Int(text.dropFirst(2), radix: 8) { return .int(value) }
        if isFloat(utf8), let value = Double(text) { return .double(value) }
        return .string(text)
    }

    private static func isDecimalInteger(_ s: [UInt8]) -> Bool {
        var i = 0
        if i < s.count && (s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+")) { i += 1 }
        guard i < s.count else { return false }
        return s[i...].allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    private static func isFloat(_ s: [UInt8]) -> Bool {
        var i = 0
        func digits() -> Int {
            let start = i
            while i < s.count && s[i] >= 48 && s[i] <= 57 { i += 1 }
            return i - start
        }
        if i < s.count && (s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+")) { i += 1 }
        let intDigits = digits()
        var fracDigits = 0
        if i < s.count && s[i] == UInt8(ascii: ".") {
            i += 1
            fracDigits = digits()
        }
        guard intDigits > 0 || fracDigits > 0 else { return false }
        if i < s.count && (s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E")) {
            i += 1
            if i < s.count && (s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+")) { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == s.count
    }
}
