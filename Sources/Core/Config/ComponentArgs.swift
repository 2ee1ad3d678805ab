/// The `args` of one component in an index config, as its factory sees them.
///
/// Accessors check types and name the key path in their errors, so a plugin's factory gets
/// good messages for free. A factory should call `allowOnly` first with every argument it
/// takes: an unknown argument is an error that lists the allowed ones.
public struct ComponentArgs: Sendable {
    /// The arguments, in file order.
    public let values: ConfigMap
    /// Where these arguments are in the config, e.g. `tokenizers.words.args`.
    public let path: String

    public init(_ values: ConfigMap = ConfigMap(), path: String) {
        self.values = values
        self.path = path
    }

    /// Refuses any argument not in `allowed`.
    public func allowOnly(_ allowed: [String]) throws(ConfigError) {
        for key in values.keys where !allowed.contains(key) {
            throw .unknownArgument(path: path, name: key, allowed: allowed)
        }
    }

    public func contains(_ key: String) -> Bool { values[key] != nil }

    /// The raw value, nil when absent (a present `null` is `.null`).
    public subscript(key: String) -> ConfigValue? { values[key] }

    private func keyPath(_ key: String) -> String { "\(path).\(key)" }

    /// A string; `null` or absent gives `defaultValue`.
    public func string(_ key: String, default defaultValue: String? = nil) throws(ConfigError) -> String? {
        switch values[key] {
        case nil, .null?: return defaultValue
        case .string(let s)?: return s
        case let other?: throw .badValue(path: keyPath(key), expected: "a string", got: other.displayText)
        }
    }

    /// An integer; `null` or absent gives `defaultValue`. `range` bounds it.
    public func int(_ key: String, default defaultValue: Int? = nil, in range: ClosedRange<Int>? = nil) throws(ConfigError) -> Int? {
        let value: Int?
        switch values[key] {
        case nil, .null?: value = defaultValue
        case .int(let i)?: value = i
        case .double(let d)? where d == d.rounded() && abs(d) < 1e15: value = Int(d)
        case let other?: throw .badValue(path: keyPath(key), expected: "an integer", got: other.displayText)
        }
        if let value, let range, !range.contains(value) {
            throw .badValue(path: keyPath(key), expected: "an integer from \(range.lowerBound) to \(range.upperBound)", got: String(value))
        }
        return value
    }

    /// A number; `null` or absent gives `defaultValue`.
    public func double(_ key: String, default defaultValue: Double? = nil) throws(ConfigError) -> Double? {
        switch values[key] {
        case nil, .null?: return defaultValue
        case .int(let i)?: return Double(i)
        case .double(let d)?: return d
        case let other?: throw .badValue(path: keyPath(key), expected: "a number", got: other.displayText)
        }
    }

    /// A boolean; `null` or absent gives `defaultValue`.
    public func bool(_ key: String, default defaultValue: Bool) throws(ConfigError) -> Bool {
        switch values[key] {
        case nil, .null?: return defaultValue
        case .bool(let b)?: return b
        case let other?: throw .badValue(path: keyPath(key), expected: "true or false", got: other.displayText)
        }
    }

    /// A list of strings; scalars in it are taken as written (a number in a stop list is a word).
    /// A single string is a one-element list; `null` or absent gives `defaultValue`.
    public func stringList(_ key: String, default defaultValue: [String]? = nil) throws(ConfigError) -> [String]? {
        switch values[key] {
        case nil, .null?: return defaultValue
        case .string(let s)?: return [s]
        case .list(let items)?:
            var out: [String] = []
            for (i, item) in items.enumerated() {
                switch item {
                case .string(let s): out.append(s)
                case .int(let n): out.append(String(n))
                case .double(let d): out.append(String(d))
                case .bool(let b): out.append(b ? "true" : "false")
                default: throw .badValue(path: "\(keyPath(key))[\(i)]", expected: "a string", got: item.displayText)
                }
            }
            return out
        case let other?: throw .badValue(path: keyPath(key), expected: "a list of strings", got: other.displayText)
        }
    }
}
