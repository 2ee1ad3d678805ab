import ArgumentParser
import Core

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

/// `HOST:PORT` as a command-line argument (Core's parser, so the CLI and the peer transport
/// agree on what an address is).
extension HostPort: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(parsing: argument)
    }

    public var defaultValueDescription: String { description }
}

/// A log level name (`--log-level`).
enum LogLevel: String, ExpressibleByArgument, CaseIterable, Sendable {
    case trace, debug, info, notice, warning, error, critical
}
