import Core
import Testing

@Suite struct RegistryTests {
    @Test func aliasesResolveToTheCanonicalFactory() throws {
        let registry = Registry()
        try registry.register(.tokenizer, name: "space", aliases: ["whoosh.analysis.SpaceSeparatedTokenizer"], summary: "split on spaces") { _ in
            SpaceSplitTokenizer()
        }
        #expect(registry.contains(.tokenizer, name: "whoosh.analysis.SpaceSeparatedTokenizer"))
        #expect(registry.canonicalName(.tokenizer, name: "whoosh.analysis.SpaceSeparatedTokenizer") == "space")
        #expect(!registry.contains(.filter, name: "space"), "kinds are separate namespaces")
        let tokenizer = try registry.make(.tokenizer, name: "whoosh.analysis.SpaceSeparatedTokenizer", args: ComponentArgs(path: "t"), path: "t")
        #expect(ChainAnalyzer(tokenizer: tokenizer).analyzedTokens("a b").count == 2)
        let listing = try #require(registry.listing()["tokenizer"])
        #expect(listing == [RegistryListing(name: "space", aliases: ["whoosh.analysis.SpaceSeparatedTokenizer"], provider: "builtin", summary: "split on spaces")])
    }

    @Test func aNameOrAliasCannotBeTakenTwice() throws {
        let registry = Registry()
        try registry.register(.filter, name: "lowercase", aliases: ["whoosh.analysis.LowercaseFilter"]) { _ in AsciiLowercaseFilter() }
        #expect(throws: RegistryError.duplicate(kind: "filter", name: "lowercase", existing: "lowercase")) {
            try registry.register(.filter, name: "lowercase", provider: "libevil.so") { _ in AsciiLowercaseFilter() }
        }
        #expect(throws: RegistryError.duplicate(kind: "filter", name: "whoosh.analysis.LowercaseFilter", existing: "lowercase")) {
            try registry.register(.filter, name: "lower2", aliases: ["whoosh.analysis.LowercaseFilter"]) { _ in AsciiLowercaseFilter() }
        }
        // A refused registration leaves nothing half-registered.
        #expect(!registry.contains(.filter, name: "lower2"))
        // The same name in another kind is fine.
        try registry.register(.analyzer, name: "lowercase") { _ in ChainAnalyzer(tokenizer: SpaceSplitTokenizer()) }
    }

    @Test func unknownNamesListWhatIsKnown() throws {
        let registry = try fakeRegistry()
        #expect {
            _ = try registry.make(.filter, name: "stemmer", args: ComponentArgs(path: "filters.f.args"), path: "filters.f.class")
        } throws: { error in
            "\(error)" == "filters.f.class: unknown filter 'stemmer'; known: lowercase, minlength"
        }
    }

    @Test func factoryArgumentErrorsNameTheKeyPath() throws {
        let registry = try fakeRegistry()
        let args = ComponentArgs(ConfigMap([("minsize", .string("two")), ("extra", .int(1))]), path: "filters.f.args")
        #expect {
            _ = try registry.make(.filter, name: "minlength", args: args, path: "filters.f.class")
        } throws: { error in
            "\(error)" == "filters.f.args: unknown argument 'extra'; allowed: minsize"
        }
        let badType = ComponentArgs(ConfigMap([("minsize", .string("two"))]), path: "filters.f.args")
        #expect {
            _ = try registry.make(.filter, name: "minlength", args: badType, path: "filters.f.class")
        } throws: { error in
            "\(error)" == "filters.f.args.minsize: expected an integer, got 'two'"
        }
    }

    @Test func componentArgsAccessors() throws {
        let args = ComponentArgs(ConfigMap([
            ("s", .string("x")), ("n", .null), ("i", .int(3)), ("d", .double(2.0)), ("b", .bool(true)),
            ("list", .list([.string("on"), .int(1), .bool(false)])),
        ]), path: "p")
        #expect(try args.string("s") == "x")
        #expect(try args.string("n", default: "dflt") == "dflt")
        #expect(try args.int("d") == 2)
        #expect(try args.double("i") == 3)
        #expect(try args.bool("b", default: false))
        #expect(try args.stringList("list") == ["on", "1", "false"])
        #expect(try args.stringList("s") == ["x"])
        #expect(throws: ConfigError.badValue(path: "p.s", expected: "an integer", got: "'x'")) { _ = try args.int("s") }
        #expect(throws: ConfigError.badValue(path: "p.i", expected: "an integer from 4 to 5", got: "3")) { _ = try args.int("i", in: 4...5) }
        #expect(throws: ConfigError.badValue(path: "p.i", expected: "true or false", got: "3")) { _ = try args.bool("i", default: true) }
    }
}
