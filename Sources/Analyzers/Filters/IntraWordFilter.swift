import Core

/// Whoosh's `IntraWordFilter`: splits terms at delimiters, case changes ("PowerShot" ->
/// "Power", "Shot") and letter/digit changes ("SD500" -> "SD", "500"), drops possessive "'s",
/// and optionally adds merged tokens of consecutive word or number parts ("PowerShot" then
/// also "PowerShot" at the last part's position).
///
/// A port of Whoosh 2.7.4 that keeps its details: positions are renumbered from the first
/// token's, the case and digit classes are Whoosh's frozen lists (`IntraWordCharacterSets`),
/// boundaries are found left to right without overlap, and merging happens in query mode too
/// (Whoosh's filter ignores the mode; wrap it yourself if a query must not merge).
struct IntraWordFilter: TokenFilter {
    let delims: CharacterClass
    let splitWords: Bool
    let splitNums: Bool
    let mergeWords: Bool
    let mergeNums: Bool

    static let defaultDelims = "-_'\"()!@#$%^&*[]{}<>\\|;:,./?`~=+"

    init(delims: String = IntraWordFilter.defaultDelims, splitWords: Bool = true, splitNums: Bool = true,
         mergeWords: Bool = false, mergeNums: Bool = false) {
        self.delims = CharacterClass(items: delims.unicodeScalars.map { .range($0.value, $0.value) }, negated: false)
        self.splitWords = splitWords
        self.splitNums = splitNums
        self.mergeWords = mergeWords
        self.mergeNums = mergeNums
    }

    private struct Part {
        var start: Int   // code points, relative to the term
        var end: Int
        var position: Int32
        var mergedText: [UInt8]?  // a merged part's text; nil for a slice of the term
    }

    func apply(_ tokens: inout TokenBuffer, scratch: inout TokenBuffer, mode: AnalysisMode) {
        scratch.removeAll()
        var newPosition: Int32? = nil
        for i in 0..<tokens.count {
            let token = tokens[i]
            if newPosition == nil { newPosition = token.position }
            var position = newPosition ?? 0
            tokens.withTerm(i) { text in
                if (PythonStringPredicates.isAlpha(text) && (PythonStringPredicates.isLower(text) || PythonStringPredicates.isUpper(text)))
                    || PythonStringPredicates.isDigit(text) {
                    scratch.append(term: text, position: position, startOffset: token.startOffset, endOffset: token.endOffset, flags: token.flags)
                    position += 1
                    return
                }
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: text.count + 1) { scalars in
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: text.count + 1) { offsets in
                        let n = UTF8Scalars.decode(text, offsets: offsets.baseAddress!, scalars: scalars.baseAddress!)
                        func emit(_ part: Part) {
                            let start = token.startOffset + Int32(part.start)
                            let end = token.startOffset + Int32(part.end)
                            if let merged = part.mergedText {
                                merged.withUnsafeBufferPointer {
                                    scratch.append(term: $0, position: part.position, startOffset: start, endOffset: end, flags: token.flags)
                                }
                            } else {
                                scratch.append(term: UnsafeBufferPointer(rebasing: text[offsets[part.start]..<offsets[part.end]]),
                                               position: part.position, startOffset: start, endOffset: end, flags: token.flags)
                            }
                        }
                        guard mergeWords || mergeNums else {
                            // Without merging, parts go straight out: no array per token.
                            split(scalars.baseAddress!, n) { start, end in
                                emit(Part(start: start, end: end, position: position))
                                position += 1
                            }
                            return
                        }
                        var parts: [Part] = []
                        split(scalars.baseAddress!, n) { start, end in
                            parts.append(Part(start: start, end: end, position: position + Int32(parts.count)))
                        }
                        if parts.count > 1 { merge(&parts, text: text, offsets: offsets.baseAddress!) }
                        parts.forEach(emit)
                        if let last = parts.last { position = last.position + 1 }
                    }
                }
            }
            newPosition = position
        }
        swap(&tokens, &scratch)
    }

    // MARK: Splitting (Whoosh's `_split`)

    private static func inSet(_ s: UInt32, _ ranges: [ClosedRange<UInt32>]) -> Bool {
        var lo = 0
        var hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].upperBound < s { lo = mid + 1 } else { hi = mid }
        }
        return lo < ranges.count && ranges[lo].contains(s)
    }

    private static func isLower(_ s: UInt32) -> Bool { s < 0x80 ? s &- 0x61 < 26 : inSet(s, IntraWordCharacterSets.lowercase) }
    private static func isUpper(_ s: UInt32) -> Bool { s < 0x80 ? s &- 0x41 < 26 : inSet(s, IntraWordCharacterSets.uppercase) }
    private static func isDigit(_ s: UInt32) -> Bool { s < 0x80 ? s &- 0x30 < 10 : inSet(s, IntraWordCharacterSets.digits) }
    private static func isLetter(_ s: UInt32) -> Bool { isLower(s) || isUpper(s) }

    private func isDelim(_ s: UInt32) -> Bool { delims.contains(s) }

    /// Whether a split falls between `a` and `b`.
    private func isBoundary(_ a: UInt32, _ b: UInt32) -> Bool {
        if splitWords && Self.isLower(a) && Self.isUpper(b) { return true }
        if splitNums && ((Self.isLetter(a) && Self.isDigit(b)) || (Self.isDigit(a) && Self.isLetter(b))) { return true }
        return false
    }

    private func split(_ s: UnsafeMutablePointer<UInt32>, _ n: Int, _ emit: (Int, Int) -> Void) {
        // Possessives: (?<=[letters])'[Ss](?=$|[delims]) are cut out of the ranges.
        var previous = 0
        var i = 0
        while i < n {
            if s[i] == 0x27, i > 0, Self.isLetter(s[i - 1]), i + 1 < n, s[i + 1] == 0x53 || s[i + 1] == 0x73,
               i + 2 == n || (i + 3 == n && s[i + 2] == 0x0A) || isDelim(s[i + 2]) {
                splitRange(s, previous, i, emit)
                previous = i + 2
                i += 2
                continue
            }
            i += 1
        }
        if previous < n { splitRange(s, previous, n, emit) }
    }

    private func splitRange(_ s: UnsafeMutablePointer<UInt32>, _ from: Int, _ to: Int, _ emit: (Int, Int) -> Void) {
        var i = from
        while i < to {
            while i < to && isDelim(s[i]) { i += 1 }
            if i >= to { break }
            let partStart = i
            while i < to && !isDelim(s[i]) { i += 1 }
            let partEnd = i
            guard splitWords || splitNums else {
                emit(partStart, partEnd)
                continue
            }
            var previous = partStart
            var j = partStart
            while j + 1 < partEnd {
                if isBoundary(s[j], s[j + 1]) {
                    emit(previous, j + 1)
                    previous = j + 1
                    j += 2
                } else {
                    j += 1
                }
            }
            if previous < partEnd { emit(previous, partEnd) }
        }
    }

    // MARK: Merging (Whoosh's `_merge`, kept step for step: where it inserts is subtle)

    private func merge(_ parts: inout [Part], text: UnsafeBufferPointer<UInt8>, offsets: UnsafeMutablePointer<Int>) {
        func slice(_ part: Part) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: text[offsets[part.start]..<offsets[part.end]])
        }
        func kind(_ part: Part) -> Int {
            let t = slice(part)
            return PythonStringPredicates.isAlpha(t) ? 1 : PythonStringPredicates.isDigit(t) ? 2 : 0
        }
        func mergedPart(_ buffer: [Part], _ position: Int32) -> Part {
            var bytes: [UInt8] = []
            for part in buffer { bytes.append(contentsOf: slice(part)) }
            return Part(start: buffer[0].start, end: buffer[buffer.count - 1].end, position: position, mergedText: bytes)
        }
        var last = 0
        var insertAt = 0
        var buffer: [Part] = []
        var position: Int32 = 0
        for item in parts {
            position = item.position
            let this = kind(item)
            if (!buffer.isEmpty && this == 1 && last == 1 && mergeWords) || (this == 2 && last == 2 && mergeNums) {
                buffer.append(item)
            } else {
                if buffer.count > 1 {
                    parts.insert(mergedPart(buffer, position - 1), at: insertAt)
                    insertAt += 1
                }
                buffer = [item]
                last = this
            }
            insertAt += 1
        }
        if buffer.count > 1 {
            parts.insert(mergedPart(buffer, position), at: insertAt)
        }
    }
}
