/// What a merge policy knows about a segment.
public struct MergeCandidate: Sendable, Equatable {
    public var name: String
    public var sizeInBytes: Int
    public var maxDoc: Int
    public var deletedCount: Int

    public init(name: String, sizeInBytes: Int, maxDoc: Int, deletedCount: Int) {
        self.name = name
        self.sizeInBytes = sizeInBytes
        self.maxDoc = maxDoc
        self.deletedCount = deletedCount
    }

    /// The size the live documents account for.
    var liveBytes: Double {
        maxDoc == 0 ? 0 : Double(sizeInBytes) * Double(maxDoc - deletedCount) / Double(maxDoc)
    }
}

/// Chooses merges from segment metadata: a pure function, so policies are unit-tested without
/// an index (tantivy's `MergePolicy` trait). The machinery that runs merges is elsewhere.
public protocol MergePolicy: Sendable {
    /// Merges to run now among `segments` (none of which is already merging). Each merge is a
    /// list of segment names.
    func findMerges(_ segments: [MergeCandidate]) -> [[String]]
    /// Merges that bring the index down to at most `maxSegments` segments.
    func findForcedMerges(_ segments: [MergeCandidate], maxSegments: Int) -> [[String]]
}

/// Lucene's TieredMergePolicy, simplified: segments are grouped in tiers of
/// `segmentsPerTier` by size (sizes below `floorSegmentBytes` count as the floor); when there
/// are more segments than the tiers allow, the cheapest merge of up to `maxMergeAtOnce`
/// segments of similar size is chosen, preferring merges that reclaim deletions
/// (score = skew x size^0.05 x liveRatio^2, lower is better).
public struct TieredMergePolicy: MergePolicy {
    public var segmentsPerTier: Int
    public var maxMergeAtOnce: Int
    public var maxMergedSegmentBytes: Int
    public var floorSegmentBytes: Int
    /// A segment with more deleted documents than this fraction is merged on its own.
    public var deletesPctAllowed: Double

    public init(segmentsPerTier: Int = 10, maxMergeAtOnce: Int = 10, maxMergedSegmentBytes: Int = 5 << 30,
                floorSegmentBytes: Int = 2 << 20, deletesPctAllowed: Double = 0.33) {
        self.segmentsPerTier = segmentsPerTier
        self.maxMergeAtOnce = maxMergeAtOnce
        self.maxMergedSegmentBytes = maxMergedSegmentBytes
        self.floorSegmentBytes = floorSegmentBytes
        self.deletesPctAllowed = deletesPctAllowed
    }

    public func findMerges(_ segments: [MergeCandidate]) -> [[String]] {
        var merges: [[String]] = []
        // Too large to merge further, unless mostly deleted.
        var eligible = segments.filter { $0.liveBytes < Double(maxMergedSegmentBytes) / 2 || Double($0.deletedCount) > deletesPctAllowed * Double($0.maxDoc) }
        for s in eligible where s.maxDoc > 0 && Double(s.deletedCount) > deletesPctAllowed * Double(s.maxDoc) && s.sizeInBytes > floorSegmentBytes {
            merges.append([s.name])
        }
        let taken = Set(merges.flatMap { $0 })
        eligible.removeAll { taken.contains($0.name) }
        eligible.sort { $0.liveBytes > $1.liveBytes }
        while true {
            let allowed = allowedSegmentCount(eligible)
            guard eligible.count > allowed, eligible.count >= 2 else { break }
            var best: (score: Double, range: Range<Int>)?
            for start in 0..<eligible.count {
                var end = start
                var total = 0.0
                while end < eligible.count && end - start < maxMergeAtOnce {
                    let size = eligible[end].liveBytes
                    if total + size > Double(maxMergedSegmentBytes) && end > start { break }
                    total += size
                    end += 1
                }
                guard end - start >= 2 else { continue }
                let range = start..<end
                let floored = range.map { max(eligible[$0].liveBytes, Double(floorSegmentBytes)) }
                let flooredTotal = floored.reduce(0, +)
                let skew = (floored.max() ?? 0) / max(flooredTotal, 1)
                let live = range.reduce(0.0) { $0 + eligible[$1].liveBytes }
                let raw = range.reduce(0.0) { $0 + Double(eligible[$1].sizeInBytes) }
                let liveRatio = raw > 0 ? live / raw : 1
                let score = skew * pow(max(total, 1), 0.05) * liveRatio * liveRatio
                if best == nil || score < best!.score { best = (score, range) }
            }
            guard let chosen = best else { break }
            merges.append(chosen.range.map { eligible[$0].name })
            eligible.removeSubrange(chosen.range)
        }
        return merges
    }

    /// How many segments the tiers allow for this total size.
    func allowedSegmentCount(_ segments: [MergeCandidate]) -> Int {
        var remaining = segments.reduce(0.0) { $0 + max($1.liveBytes, Double(floorSegmentBytes)) }
        var levelSize = Double(floorSegmentBytes)
        var allowed = 0.0
        while true {
            let count = remaining / levelSize
            if count < Double(segmentsPerTier) {
                allowed += count.rounded(.up)
                break
            }
            allowed += Double(segmentsPerTier)
            remaining -= Double(segmentsPerTier) * levelSize
            levelSize *= Double(maxMergeAtOnce)
        }
        return max(Int(allowed), segmentsPerTier)
    }

    public func findForcedMerges(_ segments: [MergeCandidate], maxSegments: Int) -> [[String]] {
        let target = max(maxSegments, 1)
        let withDeletes = segments.filter { $0.deletedCount > 0 }
        guard segments.count > target || (!withDeletes.isEmpty && target >= segments.count && segments.count == 1) else {
            return []
        }
        if segments.count <= target { return withDeletes.map { [$0.name] } }
        // Merge the smallest segments together, leaving the target - 1 largest.
        let sorted = segments.sorted { $0.liveBytes > $1.liveBytes }
        return [sorted[(target - 1)...].map(\.name)]
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
