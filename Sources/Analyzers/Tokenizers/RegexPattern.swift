/// A tokenizer's regular expression, recognized as one of the shapes that have a fast
/// byte scanner, or kept as text for the general engine.
///
/// The shapes cover every pattern the original's schemas and Whoosh's own tokenizers use:
/// a run of one class (`[^\W_]+`, `\s+`, `[^/]+`, `[^ \t\r\n]+`, `[^,]+`, `[^\r\n\t ,;]+`) and
/// Whoosh's default word pattern `\w+(\.?\w+)*` (runs joined by single dots: "U.S.A", "3.14").
enum RegexPattern: Sendable, Equatable {
    /// `C+`: maximal runs of class C.
    case run(CharacterClass)
    /// `C+(\.?C+)*`: runs of C, joined across single dots that have C on both sides.
    case dottedRun(CharacterClass)
    /// Anything else, for the general engine.
    case general(String)

    /// The class and dottedness of a scanner pattern; nil for the general engine.
    var scannerClass: (CharacterClass, Bool)? {
        switch self {
        case .run(let cls): (cls, false)
        case .dottedRun(let cls): (cls, true)
        case .general: nil
        }
    }

    init(_ expression: String) {
        let scalars = Array(expression.unicodeScalars)
        var parser = Parser(scalars: scalars)
        if let cls = parser.parseClass(), parser.eat("+") {
            if parser.atEnd {
                self = .run(cls)
                return
            }
            // C+(\.?C+)*  or  C+(?:\.?C+)*
            var tail = parser
            if tail.eat("("), tail.eat("?") ? tail.eat(":") : true, tail.eat("\\"), tail.eat("."), tail.eat("?"),
               let inner = tail.parseClass(), inner == cls, tail.eat("+"), tail.eat(")"), tail.eat("*"), tail.atEnd {
                self = .dottedRun(cls)
                return
            }
        }
        self = .general(expression)
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var i = 0

        var atEnd: Bool { i == scalars.count }

        mutating func eat(_ c: Unicode.Scalar) -> Bool {
            guard i < scalars.count, scalars[i] == c else { return false }
            i += 1
            return true
        }

        /// One class: an escape (`\w`), a bracket expression, or a literal character.
        mutating func parseClass() -> CharacterClass? {
            guard i < scalars.count else { return nil }
            let c = scalars[i]
            if c == "\\" {
                i += 1
                guard let item = parseEscape() else { return nil }
                return CharacterClass(items: [item], negated: false)
            }
            if c == "[" {
                i += 1
                return parseBracket()
            }
            if "()*+?{}|^$.".unicodeScalars.contains(c) { return nil }
            i += 1
            return CharacterClass(items: [.range(c.value, c.value)], negated: false)
        }

        /// After a backslash: a class escape or an escaped literal.
        mutating func parseEscape() -> CharacterClass.Item? {
            guard i < scalars.count else { return nil }
            let c = scalars[i]
            i += 1
            switch c {
            case "w": return .word
            case "W": return .notWord
            case "s": return .space
            case "S": return .notSpace
            case "d": return .digit
            case "D": return .notDigit
            case "t": return .range(9, 9)
            case "n": return .range(10, 10)
            case "r": return .range(13, 13)
            case "f": return .range(12, 12)
            case "v": return .range(11, 11)
            default:
                // Letters and digits after a backslash mean something else (\b, \1, \x41...).
                if c.properties.isAlphabetic || c.properties.numericType != nil { return nil }
                return .range(c.value, c.value)
            }
        }

        mutating func parseBracket() -> CharacterClass? {
            var negated = false
            if eat("^") { negated = true }
            var items: [CharacterClass.Item] = []
            var first = true
            while i < scalars.count {
                let c = scalars[i]
                if c == "]" && !first {
                    i += 1
                    return CharacterClass(items: items, negated: negated)
                }
                first = false
                var lo: UInt32
                if c == "\\" {
                    i += 1
                    guard let item = parseEscape() else { return nil }
                    guard case .range(let a, _) = item else {
                        items.append(item)
                        continue
                    }
                    lo = a
                } else if c == "[" {
                    return nil  // POSIX classes and nested sets: the general engine's business
                } else {
                    i += 1
                    lo = c.value
                }
                // A range a-z (a '-' before ']' is a literal).
                if i + 1 < scalars.count, scalars[i] == "-", scalars[i + 1] != "]" {
                    i += 1
                    var hi: UInt32
                    if scalars[i] == "\\" {
                        i += 1
                        guard let item = parseEscape(), case .range(let a, _) = item else { return nil }
                        hi = a
                    } else {
                        hi = scalars[i].value
                        i += 1
                    }
                    guard lo <= hi else { return nil }
                    items.append(.range(lo, hi))
                } else {
                    items.append(.range(lo, lo))
                }
            }
            return nil
        }
    }
}
