import Testing
@testable import Core

@Suite struct MergePolicyTests {
    let policy = TieredMergePolicy(segmentsPerTier: 4, maxMergeAtOnce: 4, maxMergedSegmentBytes: 1 << 30, floorSegmentBytes: 1 << 20)

    func segments(_ sizes: [Int], deleted: [Int: Int] = [:]) -> [MergeCandidate] {
        sizes.enumerated().map { i, size in
            MergeCandidate(name: "s\(i)", sizeInBytes: size, maxDoc: 1000, deletedCount: deleted[i] ?? 0)
        }
    }

    @Test func fewSegmentsAreLeftAlone() {
        #expect(policy.findMerges(segments([5 << 20, 3 << 20, 1 << 20])).isEmpty)
    }

    @Test func manySmallSegmentsMergeAtMostMaxMergeAtOnce() {
        let merges = policy.findMerges(segments(Array(repeating: 100 << 10, count: 12)))
        #expect(!merges.isEmpty)
        for m in merges { #expect(m.count >= 2 && m.count <= 4) }
        #expect(Set(merges.flatMap { $0 }).count == merges.flatMap { $0 }.count)
    }

    @Test func similarSizesArePreferredOverSkewedMerges() {
        // One huge segment and many small ones: the small ones merge together, not into the huge one.
        let merges = policy.findMerges(segments([800 << 20] + Array(repeating: 200 << 10, count: 8)))
        #expect(!merges.isEmpty)
        #expect(!merges.flatMap { $0 }.contains("s0"))
    }

    @Test func mostlyDeletedSegmentsAreRewritten() {
        let merges = policy.findMerges(segments([50 << 20, 40 << 20], deleted: [1: 600]))
        #expect(merges.contains(["s1"]))
    }

    @Test func forcedMergesReachTheTarget() {
        let all = segments([5 << 20, 4 << 20, 3 << 20, 2 << 20, 1 << 20])
        let one = policy.findForcedMerges(all, maxSegments: 1)
        #expect(one.count == 1 && Set(one[0]) == Set(all.map(\.name)))
        let two = policy.findForcedMerges(all, maxSegments: 2)
        #expect(two.count == 1 && !two[0].contains("s0") && two[0].count == 4)
        #expect(policy.findForcedMerges(segments([1 << 20]), maxSegments: 1).isEmpty)
        #expect(policy.findForcedMerges(segments([1 << 20], deleted: [0: 10]), maxSegments: 1) == [["s0"]])
    }
}
