import Core

/// The query string of a request, decoded as browsers and curl encode it (`+` is a space,
/// `%XX` a byte), with typed accessors whose errors name the parameter.
struct QueryItems: Sendable {
    private var items: [(name: String, value: String)] = []

    init(query: String?) throws(APIError) {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0], what: "a parameter name")
            let value = parts.count > 1 ? try Self.decode(parts[1], what: "parameter '\(name)'") : ""
            items.append((name, value))
        }
    }

    /// Decodes `+` and `%XX`; bad escapes and invalid UTF-8 are a 400, never a guess.
    static func decode(_ text: Substring, what: String, plusIsSpace: Bool = true) throws(APIError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+") where plusIsSpace: bytes.append(0x20)
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw .badRequest("invalid_parameter", "\(what): a '%' must be followed by two hex digits")
                }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw .badRequest("invalid_parameter", "\(what): not valid UTF-8 once decoded")
        }
        return string
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// The last value given for `name` (as the original's Flask did).
    subscript(_ name: String) -> String? {
        items.last(where: { $0.name == name })?.value
    }

    func int(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws(APIError) -> Int {
        guard let text = self[name] else { return fallback }
        guard let value = Int(text) else { throw .invalidParameter(name, "'\(text)' is not an integer") }
        guard range.contains(value) else {
            throw .invalidParameter(name, "\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// `true`, `True`, `1`, `yes` and their opposites, as API.md lists for `sync`.
    func bool(_ name: String, default fallback: Bool = false) throws(APIError) -> Bool {
        guard let text = self[name] else { return fallback }
        switch text.lowercased() {
        case "", "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw .invalidParameter(name, "'\(text)' is not a boolean (true, false, 1, 0, yes, no)")
        }
    }

    /// A comma-separated list, empty entries dropped.
    func list(_ name: String) -> [String]? {
        self[name].map { $0.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty } }
    }

    /// A duration like `10s`, `500ms`, `2m` or plain seconds.
    func duration(_ name: String, default fallback: Duration, max: Duration) throws(APIError) -> Duration {
        guard let text = self[name] else { return fallback }
        var number = Substring(text)
        var unit: Duration = .seconds(1)
        if text.hasSuffix("ms") { number = number.dropLast(2); unit = .milliseconds(1) }
        else if text.hasSuffix("s") { number = number.dropLast() }
        else if text.hasSuffix("m") { number = number.dropLast(); unit = .seconds(60) }
        guard let value = Double(number), value >= 0, value.isFinite else {
            throw .invalidParameter(name, "'\(text)' is not a duration (e.g. 10s, 500ms)")
        }
        let result = unit * value
        guard result <= max else { throw .invalidParameter(name, "\(text) is longer than the limit \(max)") }
        return result
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
