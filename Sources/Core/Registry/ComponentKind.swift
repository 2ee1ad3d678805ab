/// A kind of pluggable component and the type its factories make.
///
/// Kinds are values, not a closed enum, so that the issues that add a protocol (weightings with
/// the query engine, transports with the server) add their kind beside it without touching the
/// registry.
public struct ComponentKind<Product>: Sendable, Hashable {
    /// The kind's name in messages and in `cockatrice plugins` output ("tokenizer").
    public let name: String

    public init(_ name: String) {
        self.name = name
    }
}

extension ComponentKind where Product == any Tokenizer {
    public static var tokenizer: ComponentKind { ComponentKind("tokenizer") }
}

extension ComponentKind where Product == any TokenFilter {
    public static var filter: ComponentKind { ComponentKind("filter") }
}

extension ComponentKind where Product == any Analyzer {
    public static var analyzer: ComponentKind { ComponentKind("analyzer") }
}

extension ComponentKind where Product == any Codec {
    public static var codec: ComponentKind { ComponentKind("codec") }
}

/// Makes a component from its config arguments. Factories are called at config load, so a
/// factory should validate everything there and throw `ConfigError` rather than fail later.
public typealias ComponentFactory<Product> = @Sendable (ComponentArgs) throws -> Product
