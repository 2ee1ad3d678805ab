/// What a node's searches returned at one applied index, in two parts compared differently.
struct SearchDigest: Equatable {
    /// Per fixed query: the total and every matching id, sorted. The same on every node at the
    /// same applied index, whatever its segments.
    var matches: [String]
    /// Per fixed query: every hit with the bits of its score, by score then id. The same on
    /// nodes whose statistics count the same documents: deleted documents stay in the
    /// statistics until a merge drops them (DESIGN.md, "Segments"), so a node that merged may
    /// score differently.
    var ranking: [String]

    /// The first query whose part differs, for the failure message.
    static func firstDifference(_ a: [String], _ b: [String]) -> String {
        for (x, y) in zip(a, b) where x != y { return "\(x)  vs  \(y)" }
        return "\(a.count) vs \(b.count) queries"
    }
}
