import ArgumentParser

struct AnalyzeBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analyze", abstract: "Not built yet.")

    func run() throws {
        throw ValidationError("cockatrice-bench analyze is not built yet")
    }
}
