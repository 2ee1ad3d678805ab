/// `highlight=field`: which field's stored text to cut into fragments around the matches, and
/// how to mark them.
public struct HighlightOptions: Sendable, Hashable {
    public var field: String
    /// Inserted before each match (a phrase match is one match).
    public var preTag: String
    /// Inserted after each match.
    public var postTag: String
    /// Roughly how many characters (code points) of text a fragment shows.
    public var fragmentSize: Int
    /// Most fragments per hit, best (most matches) first, then in text order.
    public var maxFragments: Int

    public init(field: String, preTag: String = "<b>", postTag: String = "</b>", fragmentSize: Int = 120, maxFragments: Int = 3) {
        self.field = field
        self.preTag = preTag
        self.postTag = postTag
        self.fragmentSize = fragmentSize
        self.maxFragments = maxFragments
    }
}
