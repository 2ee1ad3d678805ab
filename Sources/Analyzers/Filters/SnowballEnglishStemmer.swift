/// The Snowball English ("Porter2") stemmer as Whoosh 2.7.4 implements it
/// (`whoosh.lang.snowball.english`, from NLTK), ported line by line so results match Whoosh
/// exactly, quirks included: R1 and R2 are kept as separate strings that the steps edit
/// alongside the word (and in a few places set to "e" or "" rather than a suffix of it).
///
/// Works on code points in caller-provided buffers (no allocation). The caller lowercases.
enum SnowballEnglishStemmer {
    /// A string of code points in a fixed buffer, with the Python slicing the port needs.
    struct Text {
        let p: UnsafeMutablePointer<UInt32>
        var n = 0

        func ends(_ s: StaticString) -> Bool {
            let m = s.utf8CodeUnitCount
            guard m <= n else { return false }
            let b = s.utf8Start
            for i in 0..<m where p[n - m + i] != UInt32(b[i]) { return false }
            return true
        }

        func starts(_ s: StaticString) -> Bool {
            let m = s.utf8CodeUnitCount
            guard m <= n else { return false }
            let b = s.utf8Start
            for i in 0..<m where p[i] != UInt32(b[i]) { return false }
            return true
        }

        /// `s[:-k]`
        mutating func drop(_ k: Int) { n = max(0, n - k) }

        mutating func append(_ s: StaticString) {
            let b = s.utf8Start
            for i in 0..<s.utf8CodeUnitCount {
                p[n] = UInt32(b[i])
                n += 1
            }
        }

        /// `s[-i]` for i >= 1, or nil where Python would raise IndexError.
        func fromEnd(_ i: Int) -> UInt32? { i <= n ? p[n - i] : nil }

        /// `s = s[start:]`
        mutating func dropFirst(_ start: Int) {
            guard start > 0 else { return }
            if start >= n {
                n = 0
                return
            }
            for i in start..<n { p[i - start] = p[i] }
            n -= start
        }

        mutating func copy(from other: Text, start: Int) {
            n = 0
            guard start < other.n else { return }
            for i in start..<other.n {
                p[n] = other.p[i]
                n += 1
            }
        }
    }

    static func isVowel(_ c: UInt32) -> Bool {
        c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75 || c == 0x79
    }

    static func isVowel(_ c: UInt32?) -> Bool { c.map(isVowel) ?? false }

    static func isIn(_ c: UInt32?, _ set: StaticString) -> Bool {
        guard let c else { return false }
        let b = set.utf8Start
        for i in 0..<set.utf8CodeUnitCount where UInt32(b[i]) == c { return true }
        return false
    }

    static let specialWords: [(String, String)] = [
        ("skis", "ski"), ("skies", "sky"), ("dying", "die"), ("lying", "lie"), ("tying", "tie"), ("idly", "idl"),
        ("gently", "gentl"), ("ugly", "ugli"), ("early", "earli"), ("only", "onli"), ("singly", "singl"),
        ("sky", "sky"), ("news", "news"), ("howe", "howe"), ("atlas", "atlas"), ("cosmos", "cosmos"), ("bias", "bias"),
        ("andes", "andes"), ("inning", "inning"), ("innings", "inning"), ("outing", "outing"), ("outings", "outing"),
        ("canning", "canning"), ("cannings", "canning"), ("herring", "herring"), ("herrings", "herring"),
        ("earring", "earring"), ("earrings", "earring"), ("proceed", "proceed"), ("proceeds", "proceed"),
        ("proceeded", "proceed"), ("proceeding", "proceed"), ("exceed", "exceed"), ("exceeds", "exceed"),
        ("exceeded", "exceed"), ("exceeding", "exceed"), ("succeed", "succeed"), ("succeeds", "succeed"),
        ("succeeded", "succeed"), ("succeeding", "succeed"),
    ]
    static let specialKeys = ByteStringSet(specialWords.map(\.0))
    static let specialValues: [String: String] = Dictionary(uniqueKeysWithValues: specialWords)

    static let step1bDoubles: [StaticString] = ["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"]
    static let step1aSuffixes: [StaticString] = ["sses", "ied", "ies", "us", "ss", "s"]
    static let step1bSuffixes: [StaticString] = ["eedly", "ingly", "edly", "eed", "ing", "ed"]
    static let step2Suffixes: [StaticString] = [
        "ization", "ational", "fulness", "ousness", "iveness", "tional", "biliti", "lessli", "entli", "ation", "alism",
        "aliti", "ousli", "iviti", "fulli", "enci", "anci", "abli", "izer", "ator", "alli", "bli", "ogi", "li",
    ]
    static let step3Suffixes: [StaticString] = ["ational", "tional", "alize", "icate", "iciti", "ative", "ical", "ness", "ful"]
    static let step4Suffixes: [StaticString] = [
        "ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion", "al", "er", "ic",
    ]

    static func eq(_ a: StaticString, _ b: StaticString) -> Bool {
        a.utf8CodeUnitCount == b.utf8CodeUnitCount && a.utf8Start == b.utf8Start
    }

    static func isAny(_ s: StaticString, _ options: StaticString...) -> Bool {
        options.contains { eq(s, $0) }
    }

    /// Stems the lowercase code points `w[0..<count]`; `w` has room for `count + 8`.
    /// Returns the new length, or nil when the word is a special case whose stem is `special`.
    static func stem(_ w: UnsafeMutablePointer<UInt32>, count: Int, r1Buffer: UnsafeMutablePointer<UInt32>,
                     r2Buffer: UnsafeMutablePointer<UInt32>) -> Int {
        var word = Text(p: w, n: count)
        var r1 = Text(p: r1Buffer)
        var r2 = Text(p: r2Buffer)

        for i in 0..<word.n where word.p[i] == 0x2019 || word.p[i] == 0x2018 || word.p[i] == 0x201B { word.p[i] = 0x27 }
        if word.starts("'") { word.dropFirst(1) }
        if word.starts("y") { word.p[0] = 0x59 }
        if word.n > 1 {
            for i in 1..<word.n where isVowel(word.p[i - 1]) && word.p[i] == 0x79 { word.p[i] = 0x59 }
        }

        if word.starts("gener") || word.starts("commun") || word.starts("arsen") {
            r1.copy(from: word, start: word.starts("commun") ? 6 : 5)
            if r1.n > 1 {
                for i in 1..<r1.n where !isVowel(r1.p[i]) && isVowel(r1.p[i - 1]) {
                    r2.copy(from: r1, start: i + 1)
                    break
                }
            }
        } else {
            if word.n > 1 {
                for i in 1..<word.n where !isVowel(word.p[i]) && isVowel(word.p[i - 1]) {
                    r1.copy(from: word, start: i + 1)
                    break
                }
            }
            if r1.n > 1 {
                for i in 1..<r1.n where !isVowel(r1.p[i]) && isVowel(r1.p[i - 1]) {
                    r2.copy(from: r1, start: i + 1)
                    break
                }
            }
        }

        func dropAll(_ k: Int) {
            word.drop(k)
            r1.drop(k)
            r2.drop(k)
        }
        /// `x = x[:-len] + rep if len(x) >= len else otherwise`
        func region(_ r: inout Text, _ len: Int, _ rep: StaticString, otherwise: StaticString = "") {
            if r.n >= len {
                r.drop(len)
                r.append(rep)
            } else {
                r.n = 0
                r.append(otherwise)
            }
        }
        func replaceAll(_ len: Int, _ rep: StaticString, r2Otherwise: StaticString = "") {
            word.drop(len)
            word.append(rep)
            region(&r1, len, rep)
            region(&r2, len, rep, otherwise: r2Otherwise)
        }

        // Step 0
        for suffix: StaticString in ["'s'", "'s", "'"] where word.ends(suffix) {
            dropAll(suffix.utf8CodeUnitCount)
            break
        }

        // Step 1a
        for suffix in step1aSuffixes where word.ends(suffix) {
            if eq(suffix, "sses") {
                dropAll(2)
            } else if isAny(suffix, "ied", "ies") {
                dropAll(word.n - 3 > 1 ? 2 : 1)
            } else if eq(suffix, "s") {
                var vowelFound = false
                if word.n > 2 {
                    for i in 0..<(word.n - 2) where isVowel(word.p[i]) {
                        vowelFound = true
                        break
                    }
                }
                if vowelFound { dropAll(1) }
            }
            break
        }

        // Step 1b
        for suffix in step1bSuffixes where word.ends(suffix) {
            let len = suffix.utf8CodeUnitCount
            if isAny(suffix, "eed", "eedly") {
                if r1.ends(suffix) { replaceAll(len, "ee") }
            } else {
                var vowelFound = false
                for i in 0..<(word.n - len) where isVowel(word.p[i]) {
                    vowelFound = true
                    break
                }
                if vowelFound {
                    dropAll(len)
                    if word.ends("at") || word.ends("bl") || word.ends("iz") {
                        word.append("e")
                        r1.append("e")
                        if word.n > 5 || r1.n >= 3 { r2.append("e") }
                    } else if step1bDoubles.contains(where: { word.ends($0) }) {
                        dropAll(1)
                    } else if (r1.n == 0 && word.n >= 3 && !isVowel(word.fromEnd(1)) && !isIn(word.fromEnd(1), "wxY")
                               && isVowel(word.fromEnd(2)) && !isVowel(word.fromEnd(3)))
                        || (r1.n == 0 && word.n == 2 && isVowel(word.p[0]) && !isVowel(word.p[1])) {
                        word.append("e")
                        if r1.n > 0 { r1.append("e") }
                        if r2.n > 0 { r2.append("e") }
                    }
                }
            }
            break
        }

        // Step 1c
        if word.n > 2, isIn(word.fromEnd(1), "yY"), !isVowel(word.fromEnd(2)) {
            replaceAll(1, "i")
        }

        // Step 2
        for suffix in step2Suffixes where word.ends(suffix) {
            let len = suffix.utf8CodeUnitCount
            if r1.ends(suffix) {
                if eq(suffix, "tional") || eq(suffix, "entli") || isAny(suffix, "fulli", "lessli") {
                    dropAll(2)
                } else if isAny(suffix, "enci", "anci", "abli") {
                    replaceAll(1, "e")
                } else if isAny(suffix, "izer", "ization") {
                    replaceAll(len, "ize")
                } else if isAny(suffix, "ational", "ation", "ator") {
                    replaceAll(len, "ate", r2Otherwise: "e")
                } else if isAny(suffix, "alism", "aliti", "alli") {
                    replaceAll(len, "al")
                } else if eq(suffix, "fulness") {
                    dropAll(4)
                } else if isAny(suffix, "ousli", "ousness") {
                    replaceAll(len, "ous")
                } else if isAny(suffix, "iveness", "iviti") {
                    replaceAll(len, "ive", r2Otherwise: "e")
                } else if isAny(suffix, "biliti", "bli") {
                    replaceAll(len, "ble")
                } else if eq(suffix, "ogi") {
                    if word.fromEnd(4) == 0x6C { dropAll(1) }
                } else if eq(suffix, "li") {
                    if isIn(word.fromEnd(3), "cdeghkmnrt") { dropAll(2) }
                }
            }
            break
        }

        // Step 3
        for suffix in step3Suffixes where word.ends(suffix) {
            let len = suffix.utf8CodeUnitCount
            if r1.ends(suffix) {
                if eq(suffix, "tional") {
                    dropAll(2)
                } else if eq(suffix, "ational") {
                    replaceAll(len, "ate")
                } else if eq(suffix, "alize") {
                    dropAll(3)
                } else if isAny(suffix, "icate", "iciti", "ical") {
                    replaceAll(len, "ic")
                } else if isAny(suffix, "ful", "ness") {
                    dropAll(len)
                } else if eq(suffix, "ative") && r2.ends(suffix) {
                    dropAll(5)
                }
            }
            break
        }

        // Step 4
        for suffix in step4Suffixes where word.ends(suffix) {
            if r2.ends(suffix) {
                if eq(suffix, "ion") {
                    if isIn(word.fromEnd(4), "st") { dropAll(3) }
                } else {
                    dropAll(suffix.utf8CodeUnitCount)
                }
            }
            break
        }

        // Step 5
        if r2.ends("l") && word.fromEnd(2) == 0x6C {
            word.drop(1)
        } else if r2.ends("e") {
            word.drop(1)
        } else if r1.ends("e") {
            if word.n >= 4 && (isVowel(word.fromEnd(2)) || isIn(word.fromEnd(2), "wxY") || !isVowel(word.fromEnd(3))
                               || isVowel(word.fromEnd(4))) {
                word.drop(1)
            }
        }

        for i in 0..<word.n where word.p[i] == 0x59 { word.p[i] = 0x79 }
        return word.n
    }
}
