import ArgumentParser

struct SearchBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Not built yet.")

    func run() throws {
        throw ValidationError("cockatrice-bench search is not built yet")
    }
}
