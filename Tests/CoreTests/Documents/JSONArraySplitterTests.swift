import Testing
@testable import Core

/// The streamed JSON bulk body: whatever the pieces it arrives in, the same elements as
/// parsing the body whole, and the same refusals.
@Suite struct JSONArraySplitterTests {
    /// Feeds `body` in pieces of the given sizes (cycled); returns the elements as strings.
    func split(_ body: String, pieces: [Int]) throws -> [String] {
        let bytes = Array(body.utf8)
        var splitter = JSONArraySplitter()
        var elements: [String] = []
        var start = 0
        var turn = 0
        while start < bytes.count {
            let end = min(bytes.count, start + max(1, pieces[turn % pieces.count]))
            try bytes[start..<end].withUnsafeBufferPointer { piece in
                try splitter.feed(piece) { elements.append(String(decoding: $0, as: UTF8.self)) }
            }
            start = end
            turn += 1
        }
        try splitter.finish()
        #expect(splitter.count == elements.count)
        return elements
    }

    static let tricky = """
         [ {"id": "1", "text": "a, b ] } [ {"},
        {"id":"2","nested":{"list":[1,[2,{"x":"]"}]],"q":"\\\\"},"esc":"say \\"hi\\", ok"} ,
          {"id": "3"}
        ]\u{20}\n
        """

    @Test func everyWayOfCuttingTheBodyGivesTheElementsOfTheWholeParse() throws {
        let expected = try Array(Self.tricky.utf8).withUnsafeBufferPointer { try JSONParser.parseArrayWithSpans($0) }.map(\.value)
        for pieces in [[1], [2], [3], [7], [64], [1 << 20], [1, 5, 2, 13], [17, 1, 1]] {
            let elements = try split(Self.tricky, pieces: pieces)
            #expect(elements.count == 3, "pieces \(pieces)")
            let parsed = try elements.map { try JSONParser.parse($0) }
            #expect(parsed == expected, "pieces \(pieces)")
        }
        #expect(try split("[]", pieces: [1]).isEmpty)
        #expect(try split(" \n[ \n ] ", pieces: [2]).isEmpty)
        #expect(try split("[1,\"x\",null]", pieces: [1]) == ["1", "\"x\"", "null"], "non-documents are the element parser's to refuse")
    }

    @Test func aMalformedArrayIsRefusedNamingWhere() throws {
        let cases: [(String, String)] = [
            ("", "empty"),
            ("{\"id\": 1}", "must be a JSON array"),
            ("[{\"id\": 1}", "before the array is closed"),
            ("[{\"id\": \"1\"},]", "expected a document, got ']'"),
            ("[,{\"id\": 1}]", "expected a document, got ','"),
            ("[{\"id\": 1},,{}]", "expected a document, got ','"),
            ("[{}] x", "after the end of the array"),
            ("[{\"a\": \"unterminated]", "before the array is closed"),
            ("[" + String(repeating: "[", count: 70) + String(repeating: "]", count: 71), "nested deeper than"),
        ]
        for (body, reason) in cases {
            for pieces in [[1], [1 << 20]] {
                do {
                    _ = try split(body, pieces: pieces)
                    Issue.record("accepted \(body.prefix(40))")
                } catch let error as RequestBodyError {
                    #expect(error.description.contains(reason), "\(body.prefix(40)): \(error)")
                }
            }
        }
    }

    @Test func anErrorPositionCountsBytesOfEarlierPieces() throws {
        do {
            _ = try split("[{}, {} , ]", pieces: [3])
            Issue.record("accepted a trailing comma")
        } catch let error as RequestBodyError {
            #expect(error.description.hasSuffix("at byte 10"), "\(error)")
        }
    }
}
