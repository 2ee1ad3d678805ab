/// `sort=field` / `sort=-field`: hits ordered by a doc-value column instead of the score.
public struct SearchSort: Sendable, Hashable {
    public var field: String
    public var descending: Bool

    public init(field: String, descending: Bool = false) {
        self.field = field
        self.descending = descending
    }

    /// Parses API.md's form: `field` ascending, `-field` descending.
    public init?(parameter: String) {
        let descending = parameter.hasPrefix("-")
        let name = descending ? String(parameter.dropFirst()) : parameter
        guard !name.isEmpty else { return nil }
        self.init(field: name, descending: descending)
    }
}

/// A document's value for sorting: numbers (ints, doubles in their order-preserving form,
/// datetimes, booleans) as Int64, keywords as their first (smallest) value's bytes; documents
/// without a value sort after all others in either direction (Elasticsearch's `_last`).
public enum SortValue: Sendable, Hashable {
    case number(Int64)
    case bytes([UInt8])
    case missing

    /// -1, 0, 1 in ascending order, missing values last.
    static func compare(_ a: SortValue, _ b: SortValue) -> Int {
        switch (a, b) {
        case let (.number(x), .number(y)): x < y ? -1 : (x > y ? 1 : 0)
        case let (.bytes(x), .bytes(y)): compareBytes(x, y).signum()
        case (.missing, .missing): 0
        case (.missing, _): 1
        case (_, .missing): -1
        case (.number, .bytes): -1
        case (.bytes, .number): 1
        }
    }
}
