/// Martin Porter's original stemming algorithm (1980), exactly as published; NLTK's
/// `PorterStemmer(mode=ORIGINAL_ALGORITHM)` is the reference the fixtures check.
///
/// Whoosh's own port fails to undouble consonants ("running" became "runn"); this is the
/// deliberate difference from Whoosh. Like Porter's reference implementation (and Whoosh),
/// words of one or two letters are left alone. Works on code points: only lowercase a, e, i,
/// o, u (and y by position) are vowels, anything else is a consonant.
enum PorterStemmer {
    /// Stems `w[0..<count]` in place and returns the new length (never longer).
    static func stem(_ w: UnsafeMutablePointer<UInt32>, count: Int) -> Int {
        if count <= 2 { return count }
        var word = Word(w: w, k: count)
        word.step1a()
        word.step1b()
        word.step1c()
        word.step2()
        word.step3()
        word.step4()
        word.step5a()
        word.step5b()
        return word.k
    }

    /// Suffix and replacement lists, in the published order (built once, not per word).
    private enum Rules {
        static let step1a: [(StaticString, StaticString)] = [("sses", "ss"), ("ies", "i"), ("ss", "ss"), ("s", "")]
        static let step2: [(StaticString, StaticString)] = [
            ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"),
            ("abli", "able"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"),
            ("ization", "ize"), ("ation", "ate"), ("ator", "ate"), ("alism", "al"), ("iveness", "ive"),
            ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"),
        ]
        static let step3: [(StaticString, StaticString)] = [
            ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", ""),
        ]
        static let step4: [(StaticString, StaticString)] = [
            ("al", ""), ("ance", ""), ("ence", ""), ("er", ""), ("ic", ""), ("able", ""), ("ible", ""), ("ant", ""),
            ("ement", ""), ("ment", ""), ("ent", ""), ("ion", ""), ("ou", ""), ("ism", ""), ("ate", ""), ("iti", ""),
            ("ous", ""), ("ive", ""), ("ize", ""),
        ]

        /// Each list split by the suffix's last letter, order kept: only rules ending in the
        /// word's last letter can match, so the others need not be tried (as Porter's C code
        /// switches on the penultimate letter).
        static func byLastLetter(_ rules: [(StaticString, StaticString)]) -> [[(StaticString, StaticString)]] {
            (0..<128).map { c in rules.filter { Int($0.0.utf8Start[$0.0.utf8CodeUnitCount - 1]) == c } }
        }
        static let step1aIndex = byLastLetter(step1a)
        static let step2Index = byLastLetter(step2)
        static let step3Index = byLastLetter(step3)
        static let step4Index = byLastLetter(step4)
    }

    private struct Word {
        let w: UnsafeMutablePointer<UInt32>
        /// Current length.
        var k: Int

        static func isVowelLetter(_ c: UInt32) -> Bool {
            c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75
        }

        func isConsonant(_ i: Int) -> Bool {
            let c = w[i]
            if Self.isVowelLetter(c) { return false }
            if c == 0x79 { return i == 0 ? true : !isConsonant(i - 1) }
            return true
        }

        /// m of w[0..<n]: the number of vowel-consonant sequences.
        func measure(_ n: Int) -> Int {
            var m = 0
            var previousVowel = false
            for i in 0..<n {
                let consonant = isConsonant(i)
                if consonant && previousVowel { m += 1 }
                previousVowel = !consonant
            }
            return m
        }

        func containsVowel(_ n: Int) -> Bool {
            for i in 0..<n where !isConsonant(i) { return true }
            return false
        }

        func endsDoubleConsonant(_ n: Int) -> Bool {
            n >= 2 && w[n - 1] == w[n - 2] && isConsonant(n - 1)
        }

        /// *o: ends consonant-vowel-consonant, the last not w, x or y.
        func endsCVC(_ n: Int) -> Bool {
            n >= 3 && isConsonant(n - 3) && !isConsonant(n - 2) && isConsonant(n - 1)
                && w[n - 1] != 0x77 && w[n - 1] != 0x78 && w[n - 1] != 0x79
        }

        func ends(_ suffix: StaticString) -> Bool {
            let n = suffix.utf8CodeUnitCount
            guard n <= k else { return false }
            let s = suffix.utf8Start
            // From the last letter back: most suffixes fail there.
            var i = n - 1
            while i >= 0 {
                if w[k - n + i] != UInt32(s[i]) { return false }
                i -= 1
            }
            return true
        }

        /// Replaces the last `drop` code points with `replacement`.
        mutating func replace(_ drop: Int, with replacement: StaticString) {
            k -= drop
            let s = replacement.utf8Start
            for i in 0..<replacement.utf8CodeUnitCount {
                w[k] = UInt32(s[i])
                k += 1
            }
        }

        /// The first rule whose suffix the word ends with decides, whether or not its condition
        /// holds (the published algorithm's longest-match rule lists).
        mutating func rules(_ index: [[(StaticString, StaticString)]], _ condition: (Int) -> Bool) {
            guard k > 0, w[k - 1] < 128 else { return }
            for (suffix, replacement) in index[Int(w[k - 1])] where ends(suffix) {
                let stem = k - suffix.utf8CodeUnitCount
                if condition(stem) { replace(suffix.utf8CodeUnitCount, with: replacement) }
                return
            }
        }

        mutating func step1a() {
            rules(Rules.step1aIndex) { _ in true }
        }

        mutating func step1b() {
            if ends("eed") {
                if measure(k - 3) > 0 { k -= 1 }
                return
            }
            if ends("ed") && containsVowel(k - 2) {
                k -= 2
            } else if ends("ing") && containsVowel(k - 3) {
                k -= 3
            } else {
                return
            }
            if ends("at") || ends("bl") || ends("iz") {
                replace(0, with: "e")
            } else if endsDoubleConsonant(k) {
                let last = w[k - 1]
                if last != 0x6C && last != 0x73 && last != 0x7A { k -= 1 }
            } else if measure(k) == 1 && endsCVC(k) {
                replace(0, with: "e")
            }
        }

        mutating func step1c() {
            if ends("y") && containsVowel(k - 1) { w[k - 1] = 0x69 }
        }

        mutating func step2() {
            let w = self
            rules(Rules.step2Index) { w.measure($0) > 0 }
        }

        mutating func step3() {
            let w = self
            rules(Rules.step3Index) { w.measure($0) > 0 }
        }

        mutating func step4() {
            let w = self
            rules(Rules.step4Index) { stem in
                guard w.measure(stem) > 1 else { return false }
                // (*S or *T) applies to -ion only.
                if w.ends("ion") { return stem > 0 && (w.w[stem - 1] == 0x73 || w.w[stem - 1] == 0x74) }
                return true
            }
        }

        mutating func step5a() {
            guard ends("e") else { return }
            let m = measure(k - 1)
            if m > 1 || (m == 1 && !endsCVC(k - 1)) { k -= 1 }
        }

        mutating func step5b() {
            if ends("ll") && measure(k - 1) > 1 { k -= 1 }
        }
    }
}
