/// A durable state of an index: the live segments with their deletion generations, and the
/// last Raft log index whose effects it contains. Written atomically as `commit_<gen>`
/// (temp file, fsync, rename, directory fsync); the highest generation present is the index.
public struct CommitPoint: Sendable, Equatable {
    public static let kind = "commit"
    static let prefix = "commit_"

    /// One segment as a commit names it.
    public struct Segment: Sendable, Equatable {
        public var name: String
        public var maxDoc: Int
        /// Live-docs generation (0: no deletions file).
        public var deletesGeneration: Int
        public var deletedCount: Int

        public init(name: String, maxDoc: Int, deletesGeneration: Int, deletedCount: Int) {
            self.name = name
            self.maxDoc = maxDoc
            self.deletesGeneration = deletesGeneration
            self.deletedCount = deletedCount
        }
    }

    public var generation: Int
    public var segments: [Segment]
    /// Opaque to the index: the node layer replays its log after this index on open.
    public var lastAppliedLogIndex: UInt64
    /// The next segment number, so names are never reused.
    public var nextSegmentNumber: Int

    public init(generation: Int = 0, segments: [Segment] = [], lastAppliedLogIndex: UInt64 = 0, nextSegmentNumber: Int = 0) {
        self.generation = generation
        self.segments = segments
        self.lastAppliedLogIndex = lastAppliedLogIndex
        self.nextSegmentNumber = nextSegmentNumber
    }

    /// The commit file's name.
    public var fileName: String { Self.fileName(generation) }

    static func fileName(_ generation: Int) -> String { prefix + String(generation, radix: 36) }

    /// The generation of a commit file name, nil for other names.
    static func generation(ofFile name: String) -> Int? {
        guard name.hasPrefix(prefix) else { return nil }
        return Int(name.dropFirst(prefix.count), radix: 36)
    }

    /// Every file this commit needs, itself included (nothing for generation 0, the empty index).
    public var files: [String] {
        guard generation > 0 else { return [] }
        var files = [fileName]
        for s in segments {
            files.append(contentsOf: SegmentFileNames.all(s.name))
            if s.deletesGeneration > 0 { files.append(SegmentFileNames.liveDocs(s.name, generation: s.deletesGeneration)) }
        }
        return files
    }

    func encode() -> [UInt8] {
        var out = DataOutput()
        out.writeVInt(generation)
        out.writeVInt(lastAppliedLogIndex)
        out.writeVInt(nextSegmentNumber)
        out.writeVInt(segments.count)
        for s in segments {
            out.writeString(s.name)
            out.writeVInt(s.maxDoc)
            out.writeVInt(s.deletesGeneration)
            out.writeVInt(s.deletedCount)
        }
        return IndexDirectory.fileImage(header: FileHeader(kind: Self.kind, codecName: "none", codecVersion: 0, segment: ""), body: out.bytes)
    }

    static func read(_ directory: IndexDirectory, name: String) throws(IndexError) -> CommitPoint {
        do {
            let file = try directory.openInput(name, kind: kind, segment: "", checksum: true)
            // The input points into the mapping `file` owns: keep it alive while it is read.
            defer { withExtendedLifetime(file) {} }
            var input = file.input(at: file.body.lowerBound)
            var commit = CommitPoint()
            commit.generation = try input.readVInt(max: Int(Int32.max))
            commit.lastAppliedLogIndex = try input.readVInt()
            commit.nextSegmentNumber = try input.readVInt(max: Int(Int32.max))
            let count = try input.readVInt(max: 1 << 20)
            for _ in 0..<count {
                let name = try input.readString(max: 256)
                let maxDoc = try input.readVInt(max: Int(Int32.max))
                let gen = try input.readVInt(max: Int(Int32.max))
                let deleted = try input.readVInt(max: maxDoc)
                commit.segments.append(Segment(name: name, maxDoc: maxDoc, deletesGeneration: gen, deletedCount: deleted))
            }
            guard commit.generation == generation(ofFile: name) else {
                throw StoreError.corrupt(path: directory.filePath(name), offset: nil, reason: "holds generation \(commit.generation)")
            }
            return commit
        } catch {
            throw IndexError.wrap(error)
        }
    }
}
