import Foundation
import Testing

/// The real `cockatrice` binary: flags, exit codes and messages as API.md promises them.
@Suite struct CommandLineTests {
    @Test func versionAndHelp() async throws {
        let version = try await Executables.cockatrice("--version")
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("cockatrice "))
        for command in ["server", "status", "join", "leave", "snapshot", "plugins", "analyze", "import"] {
            let help = try await Executables.cockatrice(command, "--help")
            #expect(help.status == 0, "\(command) --help")
            #expect(help.stdout.contains("USAGE: cockatrice \(command)"))
        }
    }

    /// Every server flag of API.md, with its default.
    @Test func serverHelpListsEveryFlagAndDefault() async throws {
        // Help text wraps at the terminal width: compare with whitespace runs collapsed.
        let help = try await Executables.cockatrice("server", "--help").stdout
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let expected: [(String, String?)] = [
            ("--host", "localhost"), ("--port", "7070"), ("--http-port", "8080"), ("--seed-addr", nil),
            ("--snapshot-file", "/tmp/cockatrice/snapshot.zip"), ("--index-dir", "/tmp/cockatrice/index"),
            ("--log-compaction-min-entries", "5000"), ("--log-compaction-min-time", "300"),
            ("--log-level", "info"), ("--log-file", nil), ("--plugin", nil), ("--restore", nil), ("--cluster-secret", nil),
        ]
        for (flag, defaultValue) in expected {
            #expect(help.contains(flag), "server --help lacks \(flag)")
            if let defaultValue {
                #expect(help.contains("default: \(defaultValue)"), "server --help lacks the default of \(flag)")
            }
        }
    }

    @Test(arguments: [
        (["server", "--port=notaport"], "--port"),
        (["server", "--port=0"], "--port"),
        (["server", "--port=70000"], "--port"),
        (["server", "--http-port=-1"], "--http-port"),
        (["server", "--port=8080"], "--http-port"),
        (["server", "--seed-addr=nohostport"], "--seed-addr"),
        (["server", "--log-level=loud"], "--log-level"),
        (["server", "--plugin=/nonexistent/libx.so"], "--plugin"),
        (["server", "--restore=/nonexistent/backup.zip"], "--restore"),
        (["status", "--bind-addr=127.0.0.1"], "--bind-addr"),
        (["join", "--bind-addr=127.0.0.1:7070"], "--join-addr"),
        (["snapshot", "--output-file=/tmp/x.zip", "--timeout=0"], "--timeout"),
        (["import", "--url=ftp://x", "--index=i", "/dev/null"], "--url"),
        (["analyze", "--analyzer=standard", "--field=text", "x"], "--analyzer"),
        (["plugins", "--plugin=/nonexistent.so"], "--plugin"),
    ])
    func badFlagValuesExitTwoNamingTheFlag(arguments: [String], flag: String) async throws {
        let result = try await Executables.run(Executables.cockatrice, arguments)
        #expect(result.status == 2, "\(arguments): exit \(result.status), stderr: \(result.stderr)")
        #expect(result.stderr.contains(flag), "\(arguments): stderr does not name \(flag): \(result.stderr)")
    }

    @Test func adminCommandsNameTheUnreachableNode() async throws {
        // Nothing listens on port 1: the call fails as the transport reports it, exit status 1.
        let result = try await Executables.cockatrice("status", "--bind-addr=127.0.0.1:1", "--cluster-secret=x")
        #expect(result.status == 1)
        #expect(result.stderr.contains("127.0.0.1:1: unavailable"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func pluginsListsTheBuiltinsByKind() async throws {
        let result = try await Executables.cockatrice("plugins")
        #expect(result.status == 0, "\(result.stderr)")
        let json = try result.json()
        let codecs = try #require(json["codec"] as? [[String: Any]])
        #expect(codecs.compactMap { $0["name"] as? String } == ["deflate", "lz4", "none"])
        #expect((json["abi"] as? String)?.hasPrefix("core-") == true)
        #expect((json["plugins"] as? [Any])?.isEmpty == true)
    }
}
