/// Why a query string was refused: where, and what was expected there.
///
/// The server answers it with a 400 carrying `position` and `message`. The parser never guesses
/// its way past bad syntax (Whoosh silently turned a dangling `AND` into the word "and"): a
/// query that does not mean what the user typed is an error they can fix.
public struct QueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Offset in Unicode code points from the start of the query string (as API.md counts
    /// offsets), pointing at the first character that could not be accepted; the string's
    /// length for an unexpected end.
    public var position: Int
    /// What was wrong, as a sentence fragment: "expected ')' to close the group opened at 3".
    public var message: String

    public init(position: Int, message: String) {
        self.position = position
        self.message = message
    }

    public var description: String {
        "query error at position \(position): \(message)"
    }
}
