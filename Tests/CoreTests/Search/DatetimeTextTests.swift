@testable import Core
import Testing

/// Datetime values as periods (through `DateTimeValue`, the documents' parser): prefixes cover
/// their whole period, ISO 8601 is accepted, and the textual form prints them back.
@Suite struct DatetimeTextTests {
    func show(_ text: String) -> String {
        guard let p = DatetimeText.period(text) else { return "nil" }
        return "\(DatetimeText.format(p.lowerBound)) \(DatetimeText.format(p.upperBound))"
    }

    @Test func compactPrefixes() {
        #expect(show("1970") == "1970-01-01T00:00:00.000000Z 1970-12-31T23:59:59.999999Z")
        #expect(show("2000") == "2000-01-01T00:00:00.000000Z 2000-12-31T23:59:59.999999Z")
        #expect(show("190002") == "1900-02-01T00:00:00.000000Z 1900-02-28T23:59:59.999999Z")
        #expect(show("2018070405") == "2018-07-04T05:00:00.000000Z 2018-07-04T05:59:59.999999Z")
        #expect(show("201807040541") == "2018-07-04T05:41:00.000000Z 2018-07-04T05:41:59.999999Z")
        #expect(show("20180704054100123456") == "2018-07-04T05:41:00.123456Z 2018-07-04T05:41:00.123456Z")
        #expect(DatetimeText.period("1970")?.lowerBound == 0)
        #expect(DatetimeText.period("1969")?.upperBound == -1)
    }

    @Test func iso8601() {
        #expect(show("2018-07") == "2018-07-01T00:00:00.000000Z 2018-07-31T23:59:59.999999Z")
        #expect(show("2018-07-04T05:41:00.5Z") == "2018-07-04T05:41:00.500000Z 2018-07-04T05:41:00.500000Z")
        #expect(show("2018-07-04T05:41:00-0130") == "2018-07-04T07:11:00.000000Z 2018-07-04T07:11:00.999999Z")
        #expect(show("2018-07-04 05:41") == "2018-07-04T05:41:00.000000Z 2018-07-04T05:41:59.999999Z")
    }

    @Test func invalidValues() {
        for text in ["", "18", "20181", "abcd", "2018-13", "2018-02-30", "20180230", "2018-07-04T24", "2018-07-04T05:60",
                     "0000", "2018-07-04T05:41:00+25:00", "2018-07-04X", "１２３４"] {
            #expect(DatetimeText.period(text) == nil, "\(text)")
        }
    }
}
