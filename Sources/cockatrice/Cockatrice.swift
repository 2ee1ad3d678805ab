import ArgumentParser
import Core

/// The `cockatrice` command line.
struct Cockatrice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cockatrice",
        abstract: "A full-text search server: REST API, Raft replication, pluggable analyzers.",
        version: "cockatrice \(CockatriceVersion.string)",
        subcommands: [
            ServerCommand.self, StatusCommand.self, JoinCommand.self, LeaveCommand.self, SnapshotCommand.self,
            PluginsCommand.self, AnalyzeCommand.self, ImportCommand.self,
        ]
    )
}

/// The entry point. Usage errors exit with status 2 (as getopt tools do and the docs promise),
/// not ArgumentParser's default 64, and always name the flag at fault.
@main
enum Main {
    static func main() async {
        do {
            var command = try Cockatrice.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(with: error)
        }
    }

    static func exit(with error: Error) -> Never {
        let code = Cockatrice.exitCode(for: error)
        let message = Cockatrice.fullMessage(for: error)
        if code == .success {
            // --help and --version: ArgumentParser prints them on stdout itself.
            Cockatrice.exit(withError: error)
        }
        if !message.isEmpty {
            printError(message)
        }
        Cockatrice.exit(withError: code == .validationFailure ? ExitCode(2) : ExitCode(code.rawValue))
    }
}
