import Testing
import Core
@testable import Analyzers

/// Every analyzer of the original's schema (and the bench schema's, and each tokenizer and
/// filter in chains) against Whoosh 2.7.4's tokens for the same text: every term, every
/// position relative to the first token, and every offset Whoosh gives.
@Suite struct WhooshReferenceTests {
    @Test func fixtureLoaded() {
        #expect(ReferenceFixture.shared.cases.count >= 40)
        #expect(ReferenceFixture.shared.texts.count >= 90)
    }

    @Test(arguments: ReferenceFixture.caseNames)
    func matchesWhoosh(_ name: String) throws {
        let fixture = ReferenceFixture.shared
        let testCase = try #require(fixture.cases.first { $0.name == name })
        let analyzer = try TestRegistry.analyzer(for: testCase.spec)
        let mode: AnalysisMode = testCase.mode == "query" ? .query : .index
        var mismatches = 0
        for (k, textIndex) in testCase.texts.enumerated() {
            let text = fixture.texts[textIndex]
            let ours = analyzer.analyzedTokens(text, mode: mode)
            let expected = testCase.tokens[k]
            let firstExpected = expected.first?[1].int ?? 0
            let firstOurs = ours.first?.position ?? 0
            var same = ours.count == expected.count
            if same {
                for (o, e) in zip(ours, expected) {
                    if o.token != e[0].string || o.position - firstOurs != (e[1].int ?? 0) - firstExpected { same = false }
                    if let start = e[2].int, o.startOffset != start { same = false }
                    if let end = e[3].int, o.endOffset != end { same = false }
                }
            }
            if !same {
                mismatches += 1
                if mismatches <= 3 {
                    let oursText = ours.map { "\($0.token)@\($0.position - firstOurs)[\($0.startOffset),\($0.endOffset)]" }
                    let expectedText = expected.map { "\($0[0].string ?? "?")@\(($0[1].int ?? 0) - firstExpected)[\($0[2].int ?? -1),\($0[3].int ?? -1)]" }
                    Issue.record("\(name) text \(textIndex) \(text.debugDescription.prefix(80)):\n ours:   \(oursText.prefix(40))\n whoosh: \(expectedText.prefix(40))")
                }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(testCase.texts.count) texts differ")
    }

    @Test func porterMatchesOriginalAlgorithm() {
        var failures: [String] = []
        for pair in ReferenceFixture.shared.porter where stem(pair[0], .porter) != pair[1] {
            failures.append("\(pair[0]) -> \(stem(pair[0], .porter)) (expected \(pair[1]))")
        }
        #expect(ReferenceFixture.shared.porter.count > 500)
        #expect(failures.isEmpty, "\(failures.prefix(20))")
    }

    @Test func snowballMatchesWhoosh() {
        var failures: [String] = []
        for pair in ReferenceFixture.shared.snowball_english where stem(pair[0], .snowballEnglish) != pair[1] {
            failures.append("\(pair[0]) -> \(stem(pair[0], .snowballEnglish)) (expected \(pair[1]))")
        }
        #expect(failures.isEmpty, "\(failures.prefix(20))")
    }

    @Test func porterUndoublesUnlikeWhoosh() {
        #expect(stem("running", .porter) == "run")
        #expect(stem("hopping", .porter) == "hop")
        #expect(stem("falling", .porter) == "fall")
        #expect(stem("generalizations", .porter) == "gener")
        #expect(stem("is", .porter) == "is")
    }

    private func stem(_ word: String, _ algorithm: StemFilter.Algorithm) -> String {
        var word = word
        return word.withUTF8 { bytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count * 2 + 16) { out in
                let n = StemFilter.stem(bytes, algorithm: algorithm, into: out)
                return String(decoding: UnsafeBufferPointer(rebasing: out[0..<n]), as: UTF8.self)
            }
        }
    }
}
