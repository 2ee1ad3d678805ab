/// The built-in weightings, registered under short names and the original's Whoosh class names.
public enum BuiltinWeightings {
    /// Registers `bm25f`, `tf_idf` and `pl2` into `registry` through the public API a plugin
    /// uses. Factories validate their arguments at config load (or request parse).
    ///
    /// - Throws: `RegistryError.duplicate` when called twice on one registry.
    public static func register(into registry: Registry) throws(RegistryError) {
        try registry.register(.weighting, name: "bm25f", aliases: ["whoosh.scoring.BM25F"],
                              summary: "BM25 per field (Lucene/tantivy idf and norms), summed over fields; args B, K1, <field>_B") { args in
            try bm25f(args)
        }
        try registry.register(.weighting, name: "tf_idf", aliases: ["whoosh.scoring.TF_IDF"],
                              summary: "term frequency times Whoosh's idf") { args in
            try args.allowOnly([])
            return TFIDFWeighting()
        }
        try registry.register(.weighting, name: "pl2", aliases: ["whoosh.scoring.PL2"],
                              summary: "Terrier's PL2 as Whoosh computes it; arg c; not monotone (no block skipping)") { args in
            try args.allowOnly(["c"])
            let c = try args.double("c", default: PL2Weighting.defaultC) ?? PL2Weighting.defaultC
            guard c.isFinite && c > 0 else {
                throw ConfigError.badValue(path: "\(args.path).c", expected: "a positive number", got: String(c))
            }
            return PL2Weighting(c: c)
        }
    }

    /// `B` (0...1), `K1` (0 or more) and Whoosh's per-field `<field>_B`.
    static func bm25f(_ args: ComponentArgs) throws(ConfigError) -> BM25FWeighting {
        var fieldB: [String: Float] = [:]
        for key in args.values.keys where key != "B" && key != "K1" {
            guard key.hasSuffix("_B"), key.count > 2 else {
                throw .unknownArgument(path: args.path, name: key, allowed: ["B", "K1", "<field>_B"])
            }
            fieldB[String(key.dropLast(2))] = try b(args, key)
        }
        let k1 = try args.double("K1", default: Double(BM25FWeighting.defaultK1)) ?? Double(BM25FWeighting.defaultK1)
        guard k1.isFinite && k1 >= 0 else {
            throw .badValue(path: "\(args.path).K1", expected: "a number, 0 or more", got: String(k1))
        }
        return BM25FWeighting(k1: Float(k1), b: try b(args, "B"), fieldB: fieldB)
    }

    private static func b(_ args: ComponentArgs, _ key: String) throws(ConfigError) -> Float {
        let value = try args.double(key, default: Double(BM25FWeighting.defaultB)) ?? Double(BM25FWeighting.defaultB)
        guard (0...1).contains(value) else {
            throw .badValue(path: "\(args.path).\(key)", expected: "a number from 0 to 1", got: String(value))
        }
        return Float(value)
    }
}
