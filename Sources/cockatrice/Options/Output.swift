import Core
import Foundation

/// Writes a line to standard error (messages and progress; stdout is for results).
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Prints a JSON value on stdout, pretty and with sorted keys so output is stable for scripts.
func printJSON(_ value: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}

/// A command that parses its flags but whose machinery lands in a later release.
struct NotAvailableYet: Error, CustomStringConvertible {
    let feature: String
    var description: String {
        "\(feature) is not available yet in cockatrice \(CockatriceVersion.string): this build parses its flags, but the machinery behind it has not landed"
    }
}
