import Core

/// Writes a JSON value as block-style YAML (`?output=yaml`).
///
/// Strings are always double-quoted with JSON escapes, which YAML reads the same way, so no
/// value can turn into another type (`no`, `1e3`, `null`) or break the layout.
enum YAMLWriter {
    static func write(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .object(let members) where !members.isEmpty:
            writeMembers(members, indent: 0, to: &out)
        case .array(let items) where !items.isEmpty:
            writeItems(items, indent: 0, to: &out)
        default:
            writeScalar(value, to: &out)
            out.append(0x0A)
        }
    }

    private static func writeMembers(_ members: [(key: String, value: JSONValue)], indent: Int, to out: inout [UInt8]) {
        for member in members {
            out.append(contentsOf: repeatElement(0x20, count: indent))
            JSONValue.appendQuoted(member.key, to: &out)
            out.append(0x3A)
            writeNested(member.value, indent: indent, to: &out)
        }
    }

    private static func writeItems(_ items: [JSONValue], indent: Int, to out: inout [UInt8]) {
        for item in items {
            out.append(contentsOf: repeatElement(0x20, count: indent))
            out.append(0x2D)
            writeNested(item, indent: indent, to: &out)
        }
    }

    /// The value after `key:` or `-`: a nested block on the next lines, or a scalar on this one.
    private static func writeNested(_ value: JSONValue, indent: Int, to out: inout [UInt8]) {
        switch value {
        case .object(let members) where !members.isEmpty:
            out.append(0x0A)
            writeMembers(members, indent: indent + 2, to: &out)
        case .array(let items) where !items.isEmpty:
            out.append(0x0A)
            writeItems(items, indent: indent + 2, to: &out)
        default:
            out.append(0x20)
            writeScalar(value, to: &out)
            out.append(0x0A)
        }
    }

    private static func writeScalar(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .object: out.append(contentsOf: "{}".utf8)
        case .array: out.append(contentsOf: "[]".utf8)
        default: value.appendJSON(to: &out)
        }
    }
}
