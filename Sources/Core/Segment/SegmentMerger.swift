/// Merges segments into one, dropping deleted documents: terms are merged in byte order across
/// the sources, postings and positions re-encoded with the new doc ids, norms, stored fields and
/// doc values copied for live documents. Reads only immutable files, so it runs off the writer's
/// lock; the caller publishes the result.
struct SegmentMerger {
    struct Source {
        let reader: SegmentReader
        let liveDocs: LiveDocs
    }

    let sources: [Source]
    let fields: [SegmentFieldInfo]
    let codec: any Codec

    /// For each source, old doc -> new doc (-1 when deleted), and the merged document count.
    func docMaps() -> (maps: [[Int32]], maxDoc: Int) {
        var next: Int32 = 0
        var maps: [[Int32]] = []
        for s in sources {
            var map = [Int32](repeating: -1, count: s.reader.maxDoc)
            for d in 0..<s.reader.maxDoc where s.liveDocs.isLive(Int32(d)) {
                map[d] = next
                next += 1
            }
            maps.append(map)
        }
        return (maps, Int(next))
    }

    /// Writes the merged segment `name`; returns its info and the doc maps.
    func merge(into directory: IndexDirectory, name: String) throws -> (info: SegmentInfo, maps: [[Int32]]) {
        let (maps, maxDoc) = docMaps()
        let serializer = try SegmentSerializer(directory: directory, name: name, codec: codec, fields: fields, maxDoc: maxDoc)
        do {
            var normsByField: [Int: [UInt8]] = [:]
            for f in fields where f.hasNorms {
                var norms = [UInt8](repeating: 0, count: maxDoc)
                for (s, map) in zip(sources, maps) {
                    guard let reader = s.reader.norms(f.name) else { continue }
                    for (old, new) in map.enumerated() where new >= 0 { norms[Int(new)] = reader.normId(Int32(old)) }
                }
                try serializer.writeNorms(field: f.number, norms)
                normsByField[f.number] = norms
            }
            for f in fields where f.indexed {
                try serializer.startField(f, norms: normsByField[f.number])
                try mergeTerms(field: f, maps: maps, serializer: serializer)
                try serializer.finishField()
            }
            try mergeStored(maps: maps, serializer: serializer)
            for f in fields {
                switch f.docValues {
                case .numeric?:
                    var values: [Int64] = []
                    var present: [Bool] = []
                    values.reserveCapacity(maxDoc)
                    for (s, map) in zip(sources, maps) {
                        let column = s.reader.numericDocValues(f.name)
                        for (old, new) in map.enumerated() where new >= 0 {
                            let v = column?.value(Int32(old))
                            values.append(v ?? 0)
                            present.append(v != nil)
                        }
                    }
                    try serializer.writeNumericDocValues(field: f.number, values: values, present: present)
                case .keywords?:
                    var perDoc: [[[UInt8]]] = []
                    perDoc.reserveCapacity(maxDoc)
                    for (s, map) in zip(sources, maps) {
                        let column = s.reader.keywordDocValues(f.name)
                        for (old, new) in map.enumerated() where new >= 0 { perDoc.append(column?.values(Int32(old)) ?? []) }
                    }
                    try serializer.writeKeywordDocValues(field: f.number, perDoc: perDoc)
                case nil:
                    break
                }
            }
            return (try serializer.finish(), maps)
        } catch {
            serializer.abandon()
            throw error
        }
    }

    private func mergeTerms(field: SegmentFieldInfo, maps: [[Int32]], serializer: SegmentSerializer) throws {
        var iterators: [TermIterator?] = []
        for s in sources {
            if var it = s.reader.terms(field.name)?.makeIterator(), try it.next() {
                iterators.append(it)
            } else {
                iterators.append(nil)
            }
        }
        var docs: [UInt32] = [], freqs: [UInt32] = [], positions: [UInt32] = []
        var scratch: [UInt32] = []
        while true {
            var smallest: [UInt8]?
            for it in iterators {
                guard let it else { continue }
                if smallest == nil || compareBytes(it.term, smallest!) < 0 { smallest = it.term }
            }
            guard let term = smallest else { break }
            docs.removeAll(keepingCapacity: true)
            freqs.removeAll(keepingCapacity: true)
            positions.removeAll(keepingCapacity: true)
            for i in iterators.indices {
                guard var it = iterators[i], compareBytes(it.term, term) == 0 else { continue }
                var postings = try sources[i].reader.postings(field.name, it.info)
                let map = maps[i]
                while true {
                    let d = try postings.next()
                    if d == PostingsIterator.noMoreDocs { break }
                    guard Int(d) < map.count else { throw SegmentError.corrupt(file: sources[i].reader.name, reason: "doc \(d) past maxDoc") }
                    let new = map[Int(d)]
                    if new < 0 { continue }
                    docs.append(UInt32(new))
                    freqs.append(UInt32(postings.freq))
                    if field.hasPositions {
                        try postings.positions(into: &scratch)
                        positions.append(contentsOf: scratch)
                    }
                }
                iterators[i] = try it.next() ? it : nil
            }
            if !docs.isEmpty {
                try term.withUnsafeBytes { t in try serializer.addTerm(t, docs: docs, freqs: freqs, positions: positions) }
            }
        }
    }

    private func mergeStored(maps: [[Int32]], serializer: SegmentSerializer) throws {
        var encoder = StoredDocumentEncoder()
        var numbers: [String: Int] = [:]
        for f in fields { numbers[f.name] = f.number }
        for (s, map) in zip(sources, maps) {
            let sameNumbers = s.reader.info.fields.allSatisfy { numbers[$0.name] == $0.number }
            var cache: (index: Int, bytes: [UInt8], starts: [Int]) = (-1, [], [])
            for (old, new) in map.enumerated() where new >= 0 {
                if sameNumbers {
                    let raw = try s.reader.stored.rawDocument(Int32(old), chunkCache: &cache)
                    try raw.withUnsafeBytes { try serializer.addStored($0) }
                } else {
                    encoder.reset()
                    for field in try s.reader.document(Int32(old)) {
                        if let n = numbers[field.name] { encoder.add(field: n, value: field.value) }
                    }
                    try encoder.encoded().withUnsafeBytes { try serializer.addStored($0) }
                }
            }
        }
    }
}
