import Testing
@testable import Core

/// Variable-length integers read back exactly, and a damaged one is an error, never a wrapped
/// or truncated value.
@Suite struct DataInputTests {
    func read(_ bytes: [UInt8]) throws -> UInt64 {
        try bytes.withUnsafeBytes { raw in
            var input = DataInput(raw, file: "test")
            let value = try input.readVInt()
            #expect(input.isAtEnd)
            return value
        }
    }

    @Test func varintsRoundTripAtEveryWidth() throws {
        for value: UInt64 in [0, 1, 127, 128, 16_383, 16_384, 1 << 35, UInt64(Int64.max), UInt64.max - 1, UInt64.max] {
            var out = DataOutput()
            out.writeVInt(value)
            #expect(try read(out.bytes) == value)
        }
    }

    @Test func overlongAndTruncatedVarintsAreRefused() {
        // Ten bytes whose last carries more than the 64th bit, an eleventh byte, a cut one.
        #expect(throws: StoreError.self) { try read(Array(repeating: 0xFF, count: 9) + [0x02]) }
        #expect(throws: StoreError.self) { try read(Array(repeating: 0x80, count: 10) + [0x01]) }
        #expect(throws: StoreError.self) { try read([0x80, 0x80]) }
    }
}
