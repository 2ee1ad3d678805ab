import ArgumentParser

/// A TCP port from 1 to 65535.
struct Port: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let value: Int

    init(_ value: Int) {
        self.value = value
    }

    init?(argument: String) {
        guard let value = Int(argument), (1...65535).contains(value) else { return nil }
        self.value = value
    }

    var description: String { String(value) }
    var defaultValueDescription: String { String(value) }
}

/// A `HOST:PORT` address (`[v6]:PORT` for IPv6 literals).
struct HostPort: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let host: String
    let port: Int

    init?(argument: String) {
        let hostPart: Substring
        let portPart: Substring
        if argument.hasPrefix("["), let close = argument.firstIndex(of: "]") {
            hostPart = argument[argument.index(after: argument.startIndex)..<close]
            let rest = argument[argument.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portPart = rest.dropFirst()
        } else {
            guard let colon = argument.lastIndex(of: ":") else { return nil }
            hostPart = argument[..<colon]
            portPart = argument[argument.index(after: colon)...]
        }
        guard !hostPart.isEmpty, !hostPart.contains(" "), let port = Int(portPart), (1...65535).contains(port) else { return nil }
        host = String(hostPart)
        self.port = port
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    var defaultValueDescription: String { description }
}

/// A log level name (`--log-level`).
enum LogLevel: String, ExpressibleByArgument, CaseIterable, Sendable {
    case trace, debug, info, notice, warning, error, critical
}
