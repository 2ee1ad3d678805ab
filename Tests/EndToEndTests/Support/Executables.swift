import Foundation
import Testing

/// Runs the real executables of this build (the test runner sits in the same build directory).
enum Executables {
    static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The build directory: where the test bundle and the `cockatrice` executable are.
    static let buildDirectory: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        // The runner is `<build>/CockatricePackageTests.xctest` (a file on Linux).
        while url.path != "/" {
            url = url.deletingLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("cockatrice").path) { return url }
        }
        return repository.appendingPathComponent(".build/debug")
    }()

    static var cockatrice: URL { buildDirectory.appendingPathComponent("cockatrice") }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        func json() throws -> [String: Any] {
            let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
            return try #require(object as? [String: Any], "stdout is not a JSON object: \(stdout)")
        }
    }

    /// Runs `executable` with `arguments` to completion (bounded by `timeout` seconds), waiting
    /// on a thread of its own: the test process's cooperative pool has one thread per core (two
    /// here), shared by every async test, and a child that takes a minute (a plugin build on a
    /// loaded machine) must not freeze the in-process cluster suites' Raft clocks meanwhile.
    static func run(_ executable: URL, _ arguments: [String], timeout: TimeInterval = 120,
                    environment: [String: String]? = nil, in directory: URL? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Swift.Result {
                    try runBlocking(executable, arguments, timeout: timeout, environment: environment, in: directory)
                })
            }
        }
    }

    /// `run`, blocking the calling thread.
    static func runBlocking(_ executable: URL, _ arguments: [String], timeout: TimeInterval = 120,
                            environment: [String: String]? = nil, in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain both pipes while the process runs, so a chatty child never blocks on a full pipe.
        let outData = DrainedPipe(out)
        let errData = DrainedPipe(err)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                Issue.record("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) timed out after \(timeout) s")
                break
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: outData.finish(), stderr: errData.finish())
    }

    static func cockatrice(_ arguments: String...) async throws -> Result {
        try await run(cockatrice, arguments, in: repository)
    }

    static func shell(_ script: String, timeout: TimeInterval = 300) async throws -> Result {
        try await run(URL(fileURLWithPath: "/bin/bash"), ["-c", script], timeout: timeout, in: repository)
    }
}

/// Reads a pipe to its end on a background thread.
final class DrainedPipe: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func finish() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
