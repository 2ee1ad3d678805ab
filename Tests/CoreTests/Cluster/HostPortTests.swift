import Testing
@testable import Core

/// The one `host:port` parser the command line and the peer transport share.
@Suite struct HostPortTests {
    @Test func readsHostsNamesAndBracketedIPv6() throws {
        #expect(HostPort(parsing: "127.0.0.1:7070") == HostPort(host: "127.0.0.1", port: 7070))
        #expect(HostPort(parsing: "localhost:1") == HostPort(host: "localhost", port: 1))
        #expect(HostPort(parsing: "[::1]:65535") == HostPort(host: "::1", port: 65535))
        #expect(HostPort(host: "::1", port: 7070).description == "[::1]:7070")
        #expect(HostPort(host: "node-1", port: 7070).description == "node-1:7070")
    }

    @Test func refusesWhatItWouldHaveToGuess() {
        for bad in ["", "7070", "host", "host:", ":7070", "host:0", "host:65536", "host:port", "::1:7070",
                    "[::1]7070", "a b:7070", "host:70 70", "[::1]"] {
            #expect(HostPort(parsing: bad) == nil, "\(bad)")
        }
    }
}
