import ArgumentParser

struct IndexBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "index", abstract: "Not built yet.")

    func run() throws {
        throw ValidationError("cockatrice-bench index is not built yet")
    }
}
