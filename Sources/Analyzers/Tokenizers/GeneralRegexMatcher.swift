import Core

/// The fallback for expressions without a byte scanner: Swift's `Regex`, matching on Unicode
/// scalars (not grapheme clusters) as Python does.
///
/// It makes a `String` per value and walks scalar indices to count offsets, so it is far slower
/// than the scanners; and its `\w` follows Unicode's definition (which includes combining
/// marks), not Python's. Patterns from the original's schemas never come here. `\d` and `\w`
/// are rewritten to Python's Unicode classes first (Swift's `\d` also matches "½").
struct GeneralRegexMatcher: Sendable {
    let expression: String
    // Regex is immutable once built; it is not declared Sendable, hence the annotation.
    nonisolated(unsafe) let regex: Regex<AnyRegexOutput>

    init(_ expression: String, path: String) throws(ConfigError) {
        self.expression = expression
        do {
            regex = try Regex(Self.pythonClasses(expression)).matchingSemantics(.unicodeScalar)
        } catch {
            throw .badValue(path: path, expected: "a regular expression", got: "'\(expression)' (\(error))")
        }
    }

    /// Rewrites `\d`, `\D`, `\w` (and `\W` outside brackets) to the Unicode properties that
    /// Python's `re` means by them.
    static func pythonClasses(_ pattern: String) -> String {
        let word = #"\p{L}\p{Nd}\p{Nl}\p{No}_"#
        var out = ""
        var inBracket = false
        var escaped = false
        for c in pattern {
            if escaped {
                escaped = false
                switch c {
                case "d": out += #"\p{Nd}"#
                case "D": out += #"\P{Nd}"#
                case "w": out += inBracket ? word : "[\(word)]"
                case "W" where !inBracket: out += "[^\(word)]"
                default: out += "\\\(c)"
                }
                continue
            }
            if c == "\\" {
                escaped = true
                continue
            }
            if c == "[" { inBracket = true }
            if c == "]" { inBracket = false }
            out.append(c)
        }
        if escaped { out += "\\" }
        return out
    }

    /// Appends the matches of `text` (or, with `gaps`, the text between them) to `output`.
    func tokenize(_ text: UnsafeBufferPointer<UInt8>, gaps: Bool, into output: inout TokenBuffer) {
        let string = String(decoding: text, as: UTF8.self)
        let scalars = string.unicodeScalars
        var position: Int32 = 0
        // Running scalar count, advanced monotonically from the last index seen.
        var lastIndex = string.startIndex
        var lastCount = 0
        func codePoints(to index: String.Index) -> Int {
            lastCount += scalars.distance(from: lastIndex, to: index)
            lastIndex = index
            return lastCount
        }
        func byteOffset(_ index: String.Index) -> Int {
            string.utf8.distance(from: string.startIndex, to: index)
        }
        func emit(_ range: Range<String.Index>, _ startCP: Int, _ endCP: Int, into output: inout TokenBuffer) {
            let lo = byteOffset(range.lowerBound)
            let hi = byteOffset(range.upperBound)
            output.append(term: UnsafeBufferPointer(rebasing: text[lo..<hi]), position: position,
                          startOffset: Int32(truncatingIfNeeded: startCP), endOffset: Int32(truncatingIfNeeded: endCP))
            position += 1
        }
        var prevEnd = string.startIndex
        var prevEndCP = 0
        for match in string.matches(of: regex) {
            let range = match.range
            if gaps {
                let startCP = codePoints(to: range.lowerBound)
                if range.lowerBound > prevEnd {
                    emit(prevEnd..<range.lowerBound, prevEndCP, startCP, into: &output)
                }
                prevEnd = range.upperBound
                prevEndCP = codePoints(to: range.upperBound)
            } else {
                let startCP = codePoints(to: range.lowerBound)
                let endCP = codePoints(to: range.upperBound)
                emit(range, startCP, endCP, into: &output)
            }
        }
        if gaps, prevEnd < string.endIndex {
            emit(prevEnd..<string.endIndex, prevEndCP, codePoints(to: string.endIndex), into: &output)
        }
    }
}
