/// The score of a match in a field that is not scorable (id, boolean, keyword without
/// `scorable: true`): the boost, whatever the frequency or length. Whoosh scored such fields
/// by the raw term weight, which for these one-term values is 1.
public struct ConstantScorer: TermScorer {
    public let value: Float

    public init(_ value: Float) {
        self.value = value
    }

    public func score(termFrequency: UInt32, fieldLength: UInt32) -> Float { value }
    public func score(termFrequency: UInt32, fieldNorm: UInt8) -> Float { value }
    public func upperBound(maxTermFrequency: UInt32, minFieldNorm: UInt8) -> Float? { value }
}
