/// Why an index config (or a component's arguments) was refused. Every case names the key path
/// in the file (`analyzers.standard.args.minsize`) so the user can find what to fix; the server
/// maps these to 400 responses.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not valid YAML or JSON.
    case syntax(reason: String)
    /// A class or component name that nothing registered.
    case unknownComponent(path: String, kind: String, name: String, known: [String])
    /// An argument a component does not take.
    case unknownArgument(path: String, name: String, allowed: [String])
    /// A value of the wrong type or out of range.
    case badValue(path: String, expected: String, got: String)
    /// A required key is absent.
    case missingKey(path: String)
    /// Anything else, with a sentence saying what is wrong.
    case invalid(path: String, reason: String)

    public var description: String {
        switch self {
        case .syntax(let reason):
            "config is not valid YAML or JSON: \(reason)"
        case .unknownComponent(let path, let kind, let name, let known):
            "\(path): unknown \(kind) '\(name)'; known: \(known.joined(separator: ", "))"
        case .unknownArgument(let path, let name, let allowed):
            "\(path): unknown argument '\(name)'; allowed: \(allowed.isEmpty ? "none" : allowed.joined(separator: ", "))"
        case .badValue(let path, let expected, let got):
            "\(path): expected \(expected), got \(got)"
        case .missingKey(let path):
            "\(path): required key is missing"
        case .invalid(let path, let reason):
            "\(path): \(reason)"
        }
    }

    /// The key path the error is about, or nil for a syntax error.
    public var path: String? {
        switch self {
        case .syntax: nil
        case .unknownComponent(let path, _, _, _), .unknownArgument(let path, _, _), .badValue(let path, _, _),
             .missingKey(let path), .invalid(let path, _):
            path
        }
    }
}
