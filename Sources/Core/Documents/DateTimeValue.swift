/// Datetime values as documents and queries write them: the original's `YYYYMMDDhhmmss`
/// (and its prefixes: `2018`, `201807`, `20180704`...) and ISO 8601, as microseconds since
/// 1970-01-01T00:00:00Z.
public enum DateTimeValue {
    /// A parsed datetime and the period it names: `2018` is all of 2018, so a range bound that
    /// is a prefix can cover the whole period.
    public struct Period: Sendable, Equatable {
        /// The first microsecond of the period.
        public var start: Int64
        /// The first microsecond after the period.
        public var end: Int64
    }

    /// Parses `text`, or returns nil if it is neither form.
    public static func parse(_ text: String) -> Period? {
        let utf8 = Array(text.utf8)
        if utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return parseCompact(utf8)
        }
        return parseISO(utf8)
    }

    /// `YYYY[MM[DD[hh[mm[ss[ffffff]]]]]]`.
    private static func parseCompact(_ d: [UInt8]) -> Period? {
        guard [4, 6, 8, 10, 12, 14, 20].contains(d.count) else { return nil }
        func number(_ from: Int, _ count: Int) -> Int {
            d[from..<from + count].reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        var parts = Parts(year: number(0, 4))
        var unit = Unit.year
        if d.count >= 6 { parts.month = number(4, 2); unit = .month }
        if d.count >= 8 { parts.day = number(6, 2); unit = .day }
        if d.count >= 10 { parts.hour = number(8, 2); unit = .hour }
        if d.count >= 12 { parts.minute = number(10, 2); unit = .minute }
        if d.count >= 14 { parts.second = number(12, 2); unit = .second }
        if d.count == 20 { parts.microsecond = number(14, 6); unit = .microsecond }
        return period(parts, unit: unit, offsetSeconds: 0)
    }

    /// `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.fraction]][Z|±hh:mm]` (a space for `T` too).
    private static func parseISO(_ s: [UInt8]) -> Period? {
        var i = 0
        func digits(_ count: Int) -> Int? {
            guard i + count <= s.count else { return nil }
            var value = 0
            for j in i..<i + count {
                guard s[j] >= 48 && s[j] <= 57 else { return nil }
                value = value * 10 + Int(s[j] - 48)
            }
            i += count
            return value
        }
        func take(_ c: Character) -> Bool {
            guard i < s.count, s[i] == c.asciiValue else { return false }
            i += 1
            return true
        }
        guard let year = digits(4) else { return nil }
        var parts = Parts(year: year)
        var unit = Unit.year
        if take("-") {
            guard let month = digits(2) else { return nil }
            parts.month = month
            unit = .month
            if take("-") {
                guard let day = digits(2) else { return nil }
                parts.day = day
                unit = .day
            }
        }
        var offset = 0
        if unit == .day && (take("T") || take(" ")) {
            guard let hour = digits(2), take(":"), let minute = digits(2) else { return nil }
            parts.hour = hour
            parts.minute = minute
            unit = .minute
            if take(":") {
                guard let second = digits(2) else { return nil }
                parts.second = second
                unit = .second
                if take(".") || take(",") {
                    var fraction = 0
                    var places = 0
                    while i < s.count, s[i] >= 48 && s[i] <= 57 {
                        if places < 6 { fraction = fraction * 10 + Int(s[i] - 48); places += 1 }
                        i += 1
                    }
                    guard places > 0 else { return nil }
                    for _ in places..<6 { fraction *= 10 }
                    parts.microsecond = fraction
                    unit = .microsecond
                }
            }
            if take("Z") {
                offset = 0
            } else if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
                let sign = s[i] == UInt8(ascii: "-") ? -1 : 1
                i += 1
                guard let hours = digits(2) else { return nil }
                _ = take(":")
                guard let minutes = digits(2), hours < 24, minutes < 60 else { return nil }
                offset = sign * (hours * 3600 + minutes * 60)
            }
        }
        guard i == s.count else { return nil }
        return period(parts, unit: unit, offsetSeconds: offset)
    }

    private enum Unit { case year, month, day, hour, minute, second, microsecond }

    private struct Parts {
        var year: Int
        var month = 1
        var day = 1
        var hour = 0
        var minute = 0
        var second = 0
        var microsecond = 0
    }

    private static func period(_ p: Parts, unit: Unit, offsetSeconds: Int) -> Period? {
        guard (1...9999).contains(p.year), (1...12).contains(p.month), p.hour < 24, p.minute < 60, p.second < 61,
              (1...daysIn(month: p.month, year: p.year)).contains(p.day) else { return nil }
        let days = daysFromCivil(year: p.year, month: p.month, day: p.day)
        let seconds = Int64(days) * 86_400 + Int64(p.hour * 3600 + p.minute * 60 + p.second) - Int64(offsetSeconds)
        let start = seconds * 1_000_000 + Int64(p.microsecond)
        let end: Int64
        switch unit {
        case .year: end = Int64(daysFromCivil(year: p.year + 1, month: 1, day: 1)) * 86_400_000_000
        case .month:
            let next = p.month == 12 ? (p.year + 1, 1) : (p.year, p.month + 1)
            end = Int64(daysFromCivil(year: next.0, month: next.1, day: 1)) * 86_400_000_000
        case .day: end = start + 86_400_000_000
        case .hour: end = start + 3_600_000_000
        case .minute: end = start + 60_000_000
        case .second: end = start + 1_000_000
        case .microsecond: end = start + 1
        }
        return Period(start: start, end: end)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
