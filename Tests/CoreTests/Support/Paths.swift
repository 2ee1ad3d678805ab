import Foundation

/// Paths of files the tests read: the repository's own, and `../shared` beside it (the
/// original's example files and the benchmark corpus, which tests read in place).
enum Paths {
    static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared: URL = repository.deletingLastPathComponent().appendingPathComponent("shared")
    static let originalExample: URL = shared.appendingPathComponent("original-example")

    static func text(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }
}
