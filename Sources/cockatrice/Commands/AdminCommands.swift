import ArgumentParser

/// The address of the node an admin command talks to (its peer port).
struct BindAddressOption: ParsableArguments {
    @Option(name: .customLong("bind-addr"), help: ArgumentHelp("HOST:PORT of the node's peer port.", valueName: "host:port"))
    var bindAddr: HostPort = HostPort(argument: "127.0.0.1:7070")!
}

/// `cockatrice status`: the node's Raft status as JSON, with the PySyncObj key names.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Print the Raft status of a node (JSON).")

    @OptionGroup var node: BindAddressOption

    func run() async throws {
        throw NotAvailableYet(feature: "cockatrice status")
    }
}

/// `cockatrice join`: add a node to the cluster.
struct JoinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "join", abstract: "Add a node to the cluster.")

    @OptionGroup var node: BindAddressOption

    @Option(name: .customLong("join-addr"), help: ArgumentHelp("HOST:PORT (peer port) of the node to add.", valueName: "host:port"))
    var joinAddr: HostPort

    func run() async throws {
        throw NotAvailableYet(feature: "cockatrice join")
    }
}

/// `cockatrice leave`: remove a node from the cluster.
struct LeaveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "leave", abstract: "Remove a node from the cluster.")

    @OptionGroup var node: BindAddressOption

    @Option(name: .customLong("leave-addr"), help: ArgumentHelp("HOST:PORT (peer port) of the node to remove.", valueName: "host:port"))
    var leaveAddr: HostPort

    func run() async throws {
        throw NotAvailableYet(feature: "cockatrice leave")
    }
}

/// `cockatrice snapshot`: fetch a snapshot zip from a node.
struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "snapshot", abstract: "Fetch a snapshot (backup zip) from a node.")

    @OptionGroup var node: BindAddressOption

    @Option(name: .customLong("output-file"), help: "Where to write the zip.")
    var outputFile: String

    func run() async throws {
        throw NotAvailableYet(feature: "cockatrice snapshot")
    }
}
