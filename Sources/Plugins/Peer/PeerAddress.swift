import Core
import NIOCore

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A `host:port` peer address (`[v6]:port` for IPv6 literals), as nodes advertise them.
struct PeerAddress: Hashable, Sendable, CustomStringConvertible {
    var host: String
    var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    init?(_ string: String) {
        let hostPart: Substring
        let portPart: Substring
        if string.hasPrefix("["), let close = string.firstIndex(of: "]") {
            hostPart = string[string.index(after: string.startIndex)..<close]
            let rest = string[string.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portPart = rest.dropFirst()
        } else {
            guard let colon = string.lastIndex(of: ":") else { return nil }
            hostPart = string[..<colon]
            portPart = string[string.index(after: colon)...]
            // An unbracketed IPv6 literal has more than one colon: refuse rather than guess.
            guard !hostPart.contains(":") else { return nil }
        }
        guard !hostPart.isEmpty, let port = Int(portPart), (1...65535).contains(port) else { return nil }
        host = String(hostPart)
        self.port = port
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Every address `host` resolves to, for binding (`localhost`: 127.0.0.1 and ::1 where the
    /// system has IPv6). Numeric hosts resolve to themselves.
    static func resolveAll(host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
        #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        hints.ai_flags = AI_PASSIVE
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let first = result else {
            let reason = status == 0 ? "no addresses" : String(cString: gai_strerror(status))
            throw PeerCallError(code: "unavailable", message: "cannot resolve '\(host)': \(reason)")
        }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            if let raw = info.pointee.ai_addr {
                switch info.pointee.ai_family {
                case AF_INET:
                    let v4 = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
                    addresses.append(SocketAddress(v4, host: host))
                case AF_INET6:
                    let v6 = raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
                    addresses.append(SocketAddress(v6, host: host))
                default:
                    break
                }
            }
            cursor = info.pointee.ai_next
        }
        var seen = Set<String>()
        return addresses.filter { seen.insert($0.ipAddress ?? "").inserted }
    }
}

extension SocketAddress {
    /// `ip:port` (`[ip]:port` for IPv6), the form peers and logs use; NIO's own description
    /// adds the family and the host name.
    var hostPort: String {
        guard let ip = ipAddress, let port else { return "\(self)" }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    /// Whether the address is a loopback one (127.0.0.0/8, ::1, or IPv4-mapped loopback): the
    /// only peers a node without a cluster secret accepts.
    var isLoopback: Bool {
        guard let ip = ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }
}
