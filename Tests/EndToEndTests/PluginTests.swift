import Foundation
import Testing

/// An out-of-tree plugin, built the way its author would (`make plugin-sdk`, then the example's
/// own Makefile against the SDK), loaded into the real `cockatrice` binary. The test runner
/// itself does not export Core's symbols, so only the real binary can prove this.
@Suite(.serialized) struct PluginTests {
    static let work: URL = FileManager.default.temporaryDirectory.appendingPathComponent("cockatrice-plugin-test-\(getpid())")

    /// Builds the SDK from this build and the example plugin against it, once for the suite
    /// (every test awaits the same build, without holding a thread while it runs).
    static let plugin = PluginBuild()

    actor PluginBuild {
        private var build: Task<Result<URL, PluginBuildError>, Never>?

        func url() async -> Result<URL, PluginBuildError> {
            if let build { return await build.value }
            let task = Task { await Self.run() }
            build = task
            return await task.value
        }

        private static func run() async -> Result<URL, PluginBuildError> {
            let sdk = work.appendingPathComponent("sdk")
            let out = work.appendingPathComponent("out")
            let script = """
                set -e
                scripts/plugin-sdk.sh '\(Executables.buildDirectory.path)' '\(sdk.path)'
                make -s -C Examples/ReverseAnalyzerPlugin SDK='\(sdk.path)' OUT='\(out.path)'
                """
            do {
                let result = try await Executables.shell(script)
                guard result.status == 0 else { return .failure(PluginBuildError(message: result.stderr)) }
                return .success(out.appendingPathComponent("libReverseAnalyzerPlugin.so"))
            } catch {
                return .failure(PluginBuildError(message: "could not run the build: \(error)"))
            }
        }
    }

    struct PluginBuildError: Error { var message: String }

    func builtPlugin() async throws -> URL {
        switch await Self.plugin.url() {
        case .success(let url): return url
        case .failure(let error):
            Issue.record("building the example plugin failed: \(error.message)")
            throw error
        }
    }

    @Test func pluginsListsTheExampleNextToTheBuiltins() async throws {
        let plugin = try await builtPlugin()
        let result = try await Executables.cockatrice("plugins", "--plugin=\(plugin.path)")
        #expect(result.status == 0, "\(result.stderr)")
        let json = try result.json()
        func entry(_ kind: String, _ name: String) -> [String: Any]? {
            (json[kind] as? [[String: Any]])?.first { $0["name"] as? String == name }
        }
        #expect(entry("analyzer", "reverse")?["provider"] as? String == "libReverseAnalyzerPlugin.so")
        #expect(entry("analyzer", "reverse")?["aliases"] as? [String] == ["example.ReverseAnalyzer"])
        #expect(entry("tokenizer", "example_words") != nil)
        #expect(entry("filter", "example_reverse") != nil)
        #expect(entry("codec", "lz4")?["provider"] as? String == "builtin")
        let loaded = try #require(json["plugins"] as? [[String: Any]])
        #expect(loaded.first?["abi"] as? String == json["abi"] as? String)
    }

    /// A bare file name means the file in the working directory, as for every other flag (dlopen
    /// alone would search the library path instead).
    @Test func aBareFileNameIsTheFileInTheWorkingDirectory() async throws {
        let plugin = try await builtPlugin()
        let result = try await Executables.run(Executables.cockatrice, ["plugins", "--plugin=\(plugin.lastPathComponent)"],
                                         in: plugin.deletingLastPathComponent())
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("example_reverse"))
    }

    @Test func thePluginsAnalyzerTokenizesAsWritten() async throws {
        let plugin = try await builtPlugin()
        let result = try await Executables.cockatrice("analyze", "--analyzer=reverse", "--plugin=\(plugin.path)", "Hello, Wörld 42!")
        #expect(result.status == 0, "\(result.stderr)")
        let tokens = try #require(try result.json()["tokens"] as? [[String: Any]])
        #expect(tokens.compactMap { $0["token"] as? String } == ["olleh", "dlröw", "24"])
        #expect(tokens.compactMap { $0["start_offset"] as? Int } == [0, 7, 13])
        #expect(tokens.compactMap { $0["end_offset"] as? Int } == [5, 12, 15])
        #expect(tokens.compactMap { $0["position"] as? Int } == [0, 1, 2])
    }

    @Test func anIndexConfigCanUseThePluginsComponents() async throws {
        let plugin = try await builtPlugin()
        let schema = Self.work.appendingPathComponent("schema.yaml")
        try """
            schema:
              id: {field_type: id, args: {unique: true, stored: true}}
              body: {field_type: text, args: {analyzer: mirrored}}
            analyzers:
              mirrored:
                tokenizer: example_words
                filters: [example_reverse]
            """.write(to: schema, atomically: true, encoding: .utf8)
        let result = try await Executables.cockatrice("analyze", "--schema=\(schema.path)", "--field=body", "--plugin=\(plugin.path)", "Abc def")
        #expect(result.status == 0, "\(result.stderr)")
        let tokens = try #require(try result.json()["tokens"] as? [[String: Any]])
        #expect(tokens.compactMap { $0["token"] as? String } == ["cba", "fed"])
        // Without the plugin the same config is refused, naming what is missing.
        let without = try await Executables.cockatrice("analyze", "--schema=\(schema.path)", "--field=body", "Abc def")
        #expect(without.status == 2)
        #expect(without.stderr.contains("analyzers.mirrored.tokenizer: unknown tokenizer 'example_words'"), "\(without.stderr)")
    }

    /// In a cluster, a config that names a plugin's component is refused before it is logged
    /// when some member lacks the plugin (that member could not apply it and would stop),
    /// naming the member and the missing names; with the plugin on every member it is created.
    @Test func aClusterRefusesAConfigAMemberLacksThePluginFor() async throws {
        let plugin = try await builtPlugin()
        let first = try ServerProcess(extraArguments: ["--plugin=\(plugin.path)"], niceness: ClusterProcessTests.niceness)
        try first.launch()
        try await first.waitUntilReady()
        let seed = "--seed-addr=127.0.0.1:\(first.peerPort)"
        let withPlugin = try ServerProcess(extraArguments: [seed, "--plugin=\(plugin.path)"], niceness: ClusterProcessTests.niceness)
        let without = try ServerProcess(extraArguments: [seed], niceness: ClusterProcessTests.niceness)
        let nodes = [first, withPlugin, without]
        defer { for node in nodes { node.stop() } }
        try withPlugin.launch()
        try without.launch()
        for node in nodes { try await node.waitUntilReady() }
        for node in nodes {
            _ = try await eventually(timeout: 30) { try await ClusterProcessTests.status(node) } until: {
                ($0["partner_nodes_count"] as? Int) == 2 && ($0["readonly_nodes_count"] as? Int) == 0
            }
        }
        let mirrored = Data("""
            schema:
              id: {field_type: id, args: {unique: true, stored: true}}
              body: {field_type: text, args: {analyzer: mirrored}}
            analyzers:
              mirrored:
                tokenizer: example_words
                filters: [example_reverse]
            """.utf8)
        let refused = try Envelope.expectError(try await first.client.put("/indices/mirrored?sync=true", mirrored, "application/yaml"), 400, "invalid_config")
        let reason = refused["reason"] as? String ?? ""
        #expect(reason.contains("127.0.0.1:\(without.peerPort)") && reason.contains("tokenizer:example_words"), "\(reason)")
        #expect(!reason.contains("127.0.0.1:\(withPlugin.peerPort)"), "the member with the plugin is not named: \(reason)")
        try Envelope.expectError(try await without.client.get("/indices/mirrored"), 404, "index_not_found")
        // Built-in components only: every member has them.
        try await withPlugin.client.createIndex("plain")
    }

    @Test func aPluginBuiltForAnotherCoreIsRefusedNamingBothABIs() async throws {
        _ = try await builtPlugin()
        let sdk = Self.work.appendingPathComponent("sdk")
        let otherSDK = Self.work.appendingPathComponent("other-sdk")
        let out = Self.work.appendingPathComponent("other-out")
        let foreign = "core-0123456789abcdef-debug"
        let build = try await Executables.shell("""
            set -e
            rm -rf '\(otherSDK.path)' && cp -R '\(sdk.path)' '\(otherSDK.path)'
            echo \(foreign) > '\(otherSDK.path)/abi-id'
            make -s -C Examples/ReverseAnalyzerPlugin SDK='\(otherSDK.path)' OUT='\(out.path)'
            """)
        #expect(build.status == 0, "\(build.stderr)")
        let host = try #require(try await Executables.cockatrice("plugins", "--abi-id").stdout.split(separator: "\n").first)
        let result = try await Executables.cockatrice("plugins", "--plugin=\(out.appendingPathComponent("libReverseAnalyzerPlugin.so").path)")
        #expect(result.status == 2)
        #expect(result.stderr.contains(foreign) && result.stderr.contains(String(host)), "\(result.stderr)")
    }

    @Test func aFileThatIsNotAPluginIsRefused() async throws {
        let notAPlugin = Self.work.appendingPathComponent("not-a-plugin.so")
        try FileManager.default.createDirectory(at: Self.work, withIntermediateDirectories: true)
        try "hello".write(to: notAPlugin, atomically: true, encoding: .utf8)
        let result = try await Executables.cockatrice("plugins", "--plugin=\(notAPlugin.path)")
        #expect(result.status == 2)
        #expect(result.stderr.contains("--plugin") && result.stderr.contains("cannot load"), "\(result.stderr)")
    }
}
