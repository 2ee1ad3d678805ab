import Core
import Testing

@Suite struct DateTimeValueTests {
    static let microsPerDay: Int64 = 86_400_000_000

    @Test func compactFormAndItsPrefixesArePeriods() throws {
        let full = try #require(DateTimeValue.parse("20180704054100"))
        // 2018-07-04T05:41:00Z = 1530682860 s since the epoch.
        #expect(full.start == 1_530_682_860_000_000)
        #expect(full.end == full.start + 1_000_000)
        let year = try #require(DateTimeValue.parse("2018"))
        #expect(year.start == 1_514_764_800_000_000)  // 2018-01-01
        #expect(year.end == 1_546_300_800_000_000)  // 2019-01-01
        let month = try #require(DateTimeValue.parse("201802"))
        #expect(month.end - month.start == 28 * Self.microsPerDay)
        let leap = try #require(DateTimeValue.parse("202002"))
        #expect(leap.end - leap.start == 29 * Self.microsPerDay)
        let day = try #require(DateTimeValue.parse("20180704"))
        #expect(day.start == 1_530_662_400_000_000 && day.end - day.start == Self.microsPerDay)
    }

    @Test func isoFormsWithOffsetsAndFractions() throws {
        #expect(DateTimeValue.parse("2018-07-04T05:41:00Z")?.start == 1_530_682_860_000_000)
        #expect(DateTimeValue.parse("2018-07-04T07:41:00+02:00")?.start == 1_530_682_860_000_000)
        #expect(DateTimeValue.parse("2018-07-04 05:41:00.25")?.start == 1_530_682_860_250_000)
        #expect(DateTimeValue.parse("2018-07-04")?.start == 1_530_662_400_000_000)
        #expect(DateTimeValue.parse("1969-12-31T23:59:59Z")?.start == -1_000_000)
    }

    @Test(arguments: ["", "2018x", "20181301", "20180230", "2018-7-4", "2018-07-04T25:00", "123", "2018-07-04T05:41:00+2", "abcd"])
    func invalidDatesAreRefused(text: String) {
        #expect(DateTimeValue.parse(text) == nil)
    }
}
