import Core
import Foundation

/// Folds Latin letters with diacritics, ligatures and full-width forms to ASCII ("café" ->
/// "cafe", "Straße" -> "Strasse", "ﬁ" -> "fi"), as Lucene's ASCIIFoldingFilter does for Latin
/// text, so queries typed without accents find accented words. Not in Whoosh. Scripts
/// without an ASCII form (Greek, Cyrillic, CJK) are left alone.
struct ASCIIFoldingFilter: TokenFilter {
    func apply(_ tokens: inout TokenBuffer, scratch: inout TokenBuffer, mode: AnalysisMode) {
        TermRewriter.apply(&tokens, scratch: &scratch, capacity: { $0 * 2 + 8 }) { term, out in
            if UTF8Scalars.isASCII(term) { return nil }
            var n = 0
            let o = out.baseAddress!
            PythonStringPredicates.forEachScalar(term) { s in
                if let folded = ASCIIFoldingTable.folding[s] {
                    for b in folded {
                        o[n] = b
                        n += 1
                    }
                } else {
                    n += UTF8Scalars.encode(s, to: o + n)
                }
            }
            return n
        }
    }
}

/// Scalar -> ASCII bytes, built once from Unicode compatibility decompositions of the Latin
/// blocks (dropping the combining marks) plus the letters that do not decompose.
enum ASCIIFoldingTable {
    static let folding: [UInt32: [UInt8]] = {
        var table: [UInt32: [UInt8]] = [:]
        let blocks: [ClosedRange<UInt32>] = [0xA0...0x24F, 0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF, 0xFB00...0xFB06, 0xFF01...0xFF5E]
        for block in blocks {
            for value in block {
                guard let scalar = Unicode.Scalar(value) else { continue }
                let decomposed = String(Character(scalar)).decomposedStringWithCompatibilityMapping
                let kept = decomposed.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }
                guard !kept.isEmpty, kept.allSatisfy(\.isASCII) else { continue }
                table[value] = kept.map { UInt8($0.value) }
            }
        }
        let extra: [(UInt32, String)] = [
            (0xDF, "ss"), (0x1E9E, "SS"), (0xE6, "ae"), (0xC6, "AE"), (0xF8, "o"), (0xD8, "O"), (0x153, "oe"), (0x152, "OE"),
            (0x111, "d"), (0x110, "D"), (0x142, "l"), (0x141, "L"), (0xFE, "th"), (0xDE, "TH"), (0xF0, "d"), (0xD0, "D"),
            (0x131, "i"), (0x127, "h"), (0x126, "H"), (0x167, "t"), (0x166, "T"), (0x14B, "n"), (0x14A, "N"), (0x138, "q"),
            (0x180, "b"), (0x188, "c"), (0x192, "f"), (0x199, "k"), (0x19A, "l"), (0x1B4, "y"), (0x1B6, "z"), (0x237, "j"),
            (0x2018, "'"), (0x2019, "'"), (0x201C, "\""), (0x201D, "\""), (0x2013, "-"), (0x2014, "-"),
        ]
        for (value, text) in extra { table[value] = Array(text.utf8) }
        return table
    }()
}
