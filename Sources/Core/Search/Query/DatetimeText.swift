/// Datetime values in queries: parsed by `DateTimeValue`, the same parser documents go through
/// (the original's `YYYYMMDDhhmmss` and its prefixes, and ISO 8601), so a query value names
/// exactly what indexing stored; and printed back as ISO 8601 for the textual form of a query.
enum DatetimeText {
    /// The first and last microsecond of the period `text` names (`2018` is all of 2018), nil
    /// when it is not a datetime.
    static func period(_ text: String) -> ClosedRange<Int64>? {
        guard let p = DateTimeValue.parse(text), p.end > p.start else { return nil }
        return p.start...(p.end - 1)
    }

    /// The civil date and time of a microsecond timestamp, as ISO 8601 with microseconds, for
    /// the textual form of a query.
    static func format(_ micros: Int64) -> String {
        let perDay: Int64 = 86_400_000_000
        var days = micros / perDay
        var rest = micros % perDay
        if rest < 0 {
            rest += perDay
            days -= 1
        }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ v: Int64, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        let seconds = rest / 1_000_000
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2)).\(pad(rest % 1_000_000, 6))Z"
    }
}
