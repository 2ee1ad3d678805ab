/// A value of an index config (or a plugin's `args`), parsed from YAML or JSON.
///
/// Maps keep their keys in file order so that errors, warnings and printed configs follow the
/// user's file. Plain YAML scalars are resolved with the YAML 1.2 core schema (`on`, `yes` and
/// `no` stay strings: the original's stop list has `on` in it, and it meant the word).
public indirect enum ConfigValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([ConfigValue])
    case map(ConfigMap)

    /// A short name of the value's type for error messages ("a string", "a list"...).
    public var typeDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .list: "a list"
        case .map: "a mapping"
        }
    }

    /// The value as it would be written in YAML flow style, for messages.
    public var displayText: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): "'\(s)'"
        case .list(let items): "[" + items.map(\.displayText).joined(separator: ", ") + "]"
        case .map(let map): "{" + map.entries.map { "\($0.key): \($0.value.displayText)" }.joined(separator: ", ") + "}"
        }
    }

    /// The map, if this value is one.
    public var mapValue: ConfigMap? {
        if case .map(let m) = self { return m }
        return nil
    }

    /// The value as a plain Swift object tree (`[String: Any]`, `[Any]`, `String`, `Int`,
    /// `Double`, `Bool`, `NSNull`-free: null becomes `nil` in an optional) for JSON output.
    public var jsonObject: Any? {
        switch self {
        case .null: nil
        case .bool(let b): b
        case .int(let i): i
        case .double(let d): d
        case .string(let s): s
        case .list(let items): items.map { $0.jsonObject as Any }
        case .map(let map): Dictionary(map.entries.map { ($0.key, $0.value.jsonObject as Any) }, uniquingKeysWith: { a, _ in a })
        }
    }
}

/// An ordered map of config keys to values.
public struct ConfigMap: Sendable, Equatable {
    public private(set) var entries: [(key: String, value: ConfigValue)]

    public init(_ entries: [(key: String, value: ConfigValue)] = []) {
        self.entries = entries
    }

    public var keys: [String] { entries.map(\.key) }
    public var isEmpty: Bool { entries.isEmpty }

    public subscript(key: String) -> ConfigValue? {
        entries.first { $0.key == key }?.value
    }

    /// Sets `key`, replacing an existing value in place (so order is kept) or appending.
    public mutating func set(_ key: String, _ value: ConfigValue) {
        if let i = entries.firstIndex(where: { $0.key == key }) {
            entries[i].value = value
        } else {
            entries.append((key, value))
        }
    }

    /// `self` with the keys of `overrides` replaced or added: a field's `args` over its type's.
    public func merging(_ overrides: ConfigMap) -> ConfigMap {
        var result = self
        for (key, value) in overrides.entries { result.set(key, value) }
        return result
    }

    public static func == (lhs: ConfigMap, rhs: ConfigMap) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
