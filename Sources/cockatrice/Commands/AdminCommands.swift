import ArgumentParser
import Core
import Foundation
import Logging
import PeerTransport

/// The node an admin command talks to (its peer port), and how.
struct BindAddressOption: ParsableArguments {
    @Option(name: .customLong("bind-addr"), help: ArgumentHelp("HOST:PORT of the node's peer port.", valueName: "host:port"))
    var bindAddr: HostPort = HostPort(argument: "127.0.0.1:7070")!

    @Option(name: .customLong("cluster-secret"), help: "The cluster's shared secret, if it has one (or COCKATRICE_CLUSTER_SECRET).")
    var clusterSecret: String?

    @Option(help: ArgumentHelp("Seconds to wait for each answer from the node.", valueName: "seconds"))
    var timeout: Int = 300

    mutating func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout: must be positive, got \(timeout)") }
        if clusterSecret == nil {
            clusterSecret = ProcessInfo.processInfo.environment["COCKATRICE_CLUSTER_SECRET"]
        }
    }

    /// Runs `body` with a client for the node, closing the connection afterwards. A failed call
    /// becomes an error that prints the node's (or the transport's) code and message.
    func withClient<T>(_ body: (PeerAdminClient) async throws -> T) async throws -> T {
        // Warnings only: the transport's debug chatter is not for the terminal.
        var logger = Logger(label: "cockatrice")
        logger.logLevel = .warning
        let transport = PeerTransport.client(secret: clusterSecret, logger: logger)
        let client = PeerAdminClient(network: transport, address: bindAddr.description, timeout: .seconds(timeout))
        do {
            let result = try await body(client)
            await transport.shutdown()
            return result
        } catch let error as PeerCallError {
            await transport.shutdown()
            throw AdminCallFailed(node: bindAddr.description, error: error)
        } catch {
            await transport.shutdown()
            throw error
        }
    }
}

/// A call the node (or the way to it) failed; the exit status is 1.
struct AdminCallFailed: Error, CustomStringConvertible {
    let node: String
    let error: PeerCallError
    var description: String { "\(node): \(error.code): \(error.message)" }
}

/// Prints a node's JSON answer on stdout: pretty with sorted keys when it parses, as sent otherwise.
private func printAnswer(_ bytes: [UInt8]) {
    if let object = try? JSONSerialization.jsonObject(with: Data(bytes)), (try? printJSON(object)) != nil {
        return
    }
    FileHandle.standardOutput.write(Data(bytes) + (bytes.last == 0x0A ? Data() : Data("\n".utf8)))
}

/// `cockatrice status`: the node's Raft status as JSON, with the PySyncObj key names.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Print the Raft status of a node (JSON).")

    @OptionGroup var node: BindAddressOption

    func run() async throws {
        printAnswer(try await node.withClient { try await $0.status() })
    }
}

/// `cockatrice join`: add a node to the cluster.
struct JoinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "join", abstract: "Add a node to the cluster.")

    @OptionGroup var node: BindAddressOption

    @Option(name: .customLong("join-addr"), help: ArgumentHelp("HOST:PORT (peer port) of the node to add.", valueName: "host:port"))
    var joinAddr: HostPort

    func run() async throws {
        printAnswer(try await node.withClient { try await $0.join(joinAddr.description) })
    }
}

/// `cockatrice leave`: remove a node from the cluster.
struct LeaveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "leave", abstract: "Remove a node from the cluster.")

    @OptionGroup var node: BindAddressOption

    @Option(name: .customLong("leave-addr"), help: ArgumentHelp("HOST:PORT (peer port) of the node to remove.", valueName: "host:port"))
    var leaveAddr: HostPort

    func run() async throws {
        printAnswer(try await node.withClient { try await $0.leave(leaveAddr.description) })
    }
}

/// `cockatrice snapshot`: fetch a snapshot zip from a node.
struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "snapshot", abstract: "Fetch a snapshot (backup zip) from a node.")

    @OptionGroup var node: BindAddressOption

    @Option(name: .customLong("output-file"), help: "Where to write the zip (written whole, or not at all).")
    var outputFile: String

    func run() async throws {
        let bytes = try await node.withClient { try await $0.downloadSnapshot(to: outputFile) }
        printError("wrote \(outputFile) (\(bytes) bytes)")
    }
}
