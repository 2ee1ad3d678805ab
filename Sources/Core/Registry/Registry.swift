import Synchronization

/// Names to component factories, per kind: the one place where analyzers, codecs and the rest
/// are found by the names an index config or a segment header carries.
///
/// Built-in components register through this same public API that a shared-library plugin
/// uses (`register`), so there is one path. The registry is filled at start and read after;
/// it is safe to use from any thread.
public final class Registry: Sendable {
    private let state = Mutex(State())

    private struct State: Sendable {
        /// kind name -> canonical name -> entry
        var entries: [String: [String: Entry]] = [:]
        /// kind name -> any accepted name (canonical or alias) -> canonical name
        var names: [String: [String: String]] = [:]
    }

    private struct Entry: Sendable {
        var name: String
        var aliases: [String]
        var provider: String
        var summary: String
        var factory: any Sendable
    }

    public init() {}

    /// Registers `factory` under `name` and `aliases` (e.g. the original's class names).
    ///
    /// - Parameter provider: who registered it ("builtin", or the plugin's name), shown by
    ///   `cockatrice plugins` and in errors.
    /// - Throws: `RegistryError.duplicate` when a name or alias is taken in this kind: a plugin
    ///   cannot silently replace a built-in.
    public func register<Product>(
        _ kind: ComponentKind<Product>, name: String, aliases: [String] = [], provider: String = "builtin",
        summary: String = "", factory: @escaping ComponentFactory<Product>
    ) throws(RegistryError) {
        let result: Result<Void, RegistryError> = state.withLock { state in
            var names = state.names[kind.name, default: [:]]
            for candidate in [name] + aliases {
                if let existing = names[candidate] {
                    return .failure(.duplicate(kind: kind.name, name: candidate, existing: existing))
                }
            }
            for candidate in [name] + aliases { names[candidate] = name }
            state.names[kind.name] = names
            state.entries[kind.name, default: [:]][name] = Entry(
                name: name, aliases: aliases, provider: provider, summary: summary, factory: factory)
            return .success(())
        }
        try result.get()
    }

    /// Makes a component from the name in a config.
    ///
    /// - Parameter path: the key path the name came from, for the error message.
    /// - Throws: `ConfigError.unknownComponent` listing the known names of the kind, or whatever
    ///   the factory throws for bad arguments.
    public func make<Product>(_ kind: ComponentKind<Product>, name: String, args: ComponentArgs, path: String) throws -> Product {
        let factory: ComponentFactory<Product>? = state.withLock { state in
            guard let canonical = state.names[kind.name]?[name],
                  let entry = state.entries[kind.name]?[canonical] else { return nil }
            return entry.factory as? ComponentFactory<Product>
        }
        guard let factory else {
            throw ConfigError.unknownComponent(path: path, kind: kind.name, name: name, known: names(of: kind))
        }
        RegistryUsage.current?.record(kind: kind.name, name: canonicalName(kind, name: name) ?? name)
        return try factory(args)
    }

    /// Every registered name, canonical and alias, as `kind:name`: what a node reports when it
    /// joins, so the leader can refuse a config that some member could not load.
    public func componentNames() -> [String] {
        state.withLock { state in
            state.names.flatMap { kind, names in names.keys.map { "\(kind):\($0)" } }.sorted()
        }
    }

    /// Whether `name` (canonical or alias) is registered for `kind`.
    public func contains<Product>(_ kind: ComponentKind<Product>, name: String) -> Bool {
        state.withLock { $0.names[kind.name]?[name] != nil }
    }

    /// The canonical name for `name`, which may be an alias.
    public func canonicalName<Product>(_ kind: ComponentKind<Product>, name: String) -> String? {
        state.withLock { $0.names[kind.name]?[name] }
    }

    /// The canonical names of a kind, sorted.
    public func names<Product>(of kind: ComponentKind<Product>) -> [String] {
        state.withLock { ($0.entries[kind.name] ?? [:]).keys.sorted() }
    }

    /// Everything registered, per kind name, sorted by name: what `cockatrice plugins` prints and
    /// what a node reports to the cluster when it joins.
    public func listing() -> [String: [RegistryListing]] {
        state.withLock { state in
            state.entries.mapValues { entries in
                entries.values
                    .map { RegistryListing(name: $0.name, aliases: $0.aliases, provider: $0.provider, summary: $0.summary) }
                    .sorted { $0.name < $1.name }
            }
        }
    }
}

/// One registered component, as listed to users and peers.
public struct RegistryListing: Sendable, Hashable, Codable {
    public var name: String
    public var aliases: [String]
    public var provider: String
    public var summary: String

    public init(name: String, aliases: [String], provider: String, summary: String) {
        self.name = name
        self.aliases = aliases
        self.provider = provider
        self.summary = summary
    }
}

/// Why a registration was refused.
public enum RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    case duplicate(kind: String, name: String, existing: String)

    public var description: String {
        switch self {
        case .duplicate(let kind, let name, let existing):
            "\(kind) name '\(name)' is already registered (by '\(existing)')"
        }
    }
}

/// The components a piece of work makes through any registry, recorded while it runs under
/// `RegistryUsage.recording` (a task-local, so concurrent loads do not mix): which names an
/// index config needs, for checking that every member of a cluster has them.
public final class RegistryUsage: Sendable {
    @TaskLocal static var current: RegistryUsage?
    private let used = Mutex<Set<String>>([])

    func record(kind: String, name: String) {
        _ = used.withLock { $0.insert("\(kind):\(name)") }
    }

    /// Runs `body` and returns what it made, as sorted `kind:name`s.
    public static func recording<T>(_ body: () throws -> T) rethrows -> (T, [String]) {
        let usage = RegistryUsage()
        let result = try $current.withValue(usage) { try body() }
        return (result, usage.used.withLock { $0.sorted() })
    }
}
