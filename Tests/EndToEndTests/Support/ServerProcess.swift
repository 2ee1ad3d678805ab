import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import Testing

/// A real `cockatrice server` process on free loopback ports, with its data in a temporary
/// directory of its own.
///
/// Started with posix_spawn rather than Foundation's Process for two reasons: the test runner's
/// threads block SIGTERM and a child inherits that mask (so a graceful-shutdown test would wait
/// forever), and the child must not inherit the runner's other descriptors (a pipe another test
/// drains would stay open as long as the server lives). Every process started here is SIGKILLed
/// by `stop()` and, as a last resort, when the test runner exits.
final class ServerProcess: @unchecked Sendable {
    /// Holds `index/`, `snapshot.zip` and `server.log`.
    let directory: URL
    let httpPort: Int
    let peerPort: Int
    /// Flags added to the ones that name the ports and paths (e.g. `--max-body-size=...`).
    let extraArguments: [String]
    private let state = Mutex<pid_t?>(nil)

    var indexDirectory: URL { directory.appendingPathComponent("index") }
    var snapshotFile: URL { directory.appendingPathComponent("snapshot.zip") }
    var logFile: URL { directory.appendingPathComponent("server.log") }
    var baseURL: URL { URL(string: "http://127.0.0.1:\(httpPort)")! }
    var client: HTTPClient { HTTPClient(port: httpPort) }
    var pid: pid_t? { state.withLock { $0 } }

    /// What the server wrote to stdout and stderr so far, for failure messages.
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// The `nice` level the process runs at (see `launch`).
    let niceness: Int

    init(directory: URL? = nil, extraArguments: [String] = [], niceness: Int = 19) throws {
        self.niceness = niceness
        let directory = directory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("cockatrice-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.directory = directory
        (httpPort, peerPort) = try FreePorts.pair()
        self.extraArguments = extraArguments
    }

    /// Starts a server in a new directory and waits until it is ready.
    static func start(extraArguments: [String] = [], readyWithin timeout: TimeInterval = 90) async throws -> ServerProcess {
        let server = try ServerProcess(extraArguments: extraArguments)
        do {
            try server.launch()
            try await server.waitUntilReady(timeout: timeout)
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    /// The command line this server runs with (the same on every start, so a restart is the same node).
    var arguments: [String] {
        ["server", "--host=127.0.0.1", "--port=\(peerPort)", "--http-port=\(httpPort)",
         "--index-dir=\(indexDirectory.path)", "--snapshot-file=\(snapshotFile.path)"] + extraArguments
    }

    /// Spawns the process (it must not be running); `additional` flags apply to this start only.
    /// It runs under `nice`: `swift test` runs these servers beside the in-process suites on the
    /// same cores, and those have timing bounds of their own that a busy server must not starve.
    func launch(additional: [String] = []) throws {
        precondition(pid == nil, "the server is already running")
        var executable = Executables.cockatrice.path
        var arguments = arguments + additional
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/nice") {
            arguments = ["-n", String(niceness), executable] + arguments
            executable = "/usr/bin/nice"
        }
        let pid = try Spawn.start(executable, arguments, output: logFile)
        state.withLock { $0 = pid }
    }

    /// Polls `GET /health/readiness` until it is 200; fails with the server's log if the process
    /// exits or the deadline passes.
    func waitUntilReady(timeout: TimeInterval = 90) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        let client = HTTPClient(port: httpPort, timeout: 2)
        while Date() < deadline {
            if let pid, let status = Spawn.reap(pid, wait: false) {
                state.withLock { $0 = nil }
                throw ServerError.exited(status: status, log: log)
            }
            if let response = try? await client.get("/health/readiness"), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ServerError.notReady(timeout: timeout, log: log)
    }

    /// SIGKILL, and wait for the process to be gone. Safe to call twice.
    func kill() {
        guard let pid = state.withLock({ value -> pid_t? in defer { value = nil }; return value }) else { return }
        Spawn.kill(pid)
    }

    /// SIGTERM, and wait up to `timeout` seconds for the exit; returns the exit status
    /// (128 + signal for a signal), or nil (after a SIGKILL) if it did not exit in time.
    func terminate(timeout: TimeInterval = 30) -> Int32? {
        guard let pid = state.withLock({ value -> pid_t? in defer { value = nil }; return value }) else { return nil }
        _ = Glibc.kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = Spawn.reap(pid, wait: false) { Spawn.forget(pid); return status }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Spawn.kill(pid)
        return nil
    }

    /// Stops the process and removes its directory.
    func stop() {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Is the process still running (and answering readiness with 200)?
    func isReady() async -> Bool {
        guard let pid, Spawn.reap(pid, wait: false) == nil else { return false }
        return (try? await HTTPClient(port: httpPort, timeout: 10).get("/health/readiness"))?.status == 200
    }
}

enum ServerError: Error, CustomStringConvertible {
    case exited(status: Int32, log: String)
    case notReady(timeout: TimeInterval, log: String)

    var description: String {
        switch self {
        case .exited(let status, let log): "cockatrice server exited with status \(status) before it was ready; its log:\n\(log.suffix(4000))"
        case .notReady(let timeout, let log): "cockatrice server not ready after \(timeout) s; its log:\n\(log.suffix(4000))"
        }
    }
}

/// posix_spawn with an empty signal mask, default dispositions and only stdin/stdout/stderr
/// inherited; every pid is remembered so that the runner's exit kills what a test left running.
enum Spawn {
    private static let running = Mutex<Set<pid_t>>([])
    private static let installExitHandler: Void = {
        atexit {
            for pid in Spawn.running.withLock({ $0 }) { _ = Glibc.kill(pid, SIGKILL) }
        }
    }()

    static func start(_ path: String, _ arguments: [String], output: URL) throws -> pid_t {
        _ = installExitHandler
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = running.withLock { running -> Int32 in
            let result = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
            if result == 0 { running.insert(pid) }
            return result
        }
        guard result == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO)
        }
        return pid
    }

    /// Closes every descriptor above stderr in the child: glibc's closefrom action where it has
    /// one (2.34+, not in the Swift overlay, hence dlsym), else each descriptor open now.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap(Int32.init) where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }

    /// The exit status of `pid` if it has exited (128 + signal if a signal ended it); with
    /// `wait`, blocks until it has.
    static func reap(_ pid: pid_t, wait: Bool) -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, wait ? 0 : WNOHANG)
        guard result == pid else { return result == -1 ? -1 : nil }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    static func kill(_ pid: pid_t) {
        _ = Glibc.kill(pid, SIGKILL)
        _ = reap(pid, wait: true)
        forget(pid)
    }

    static func forget(_ pid: pid_t) {
        _ = running.withLock { $0.remove(pid) }
    }
}

/// Free loopback ports. Both of a pair are held open together (so they differ), and no port is
/// handed out twice in one run (servers of parallel tests must not collide).
enum FreePorts {
    private static let handedOut = Mutex<Set<Int>>([])

    static func pair() throws -> (Int, Int) {
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }
        var ports: [Int] = []
        while ports.count < 2 {
            let (fd, port) = try bindEphemeral()
            sockets.append(fd)
            let fresh = handedOut.withLock { $0.insert(port).inserted }
            if fresh { ports.append(port) }
        }
        return (ports[0], ports[1])
    }

    private static func bindEphemeral() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { close(fd); throw POSIXError(.EADDRINUSE) }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}

/// One server shared by every test of a suite: `@Suite(.liveServer()) struct S { ... LiveServer.current ... }`.
/// Tests of such a suite use index names of their own, so they can run in parallel.
struct LiveServerTrait: SuiteTrait, TestScoping {
    var extraArguments: [String]
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        let server = try await ServerProcess.start(extraArguments: extraArguments)
        defer { server.stop() }
        try await LiveServer.$current.withValue(server) {
            try await function()
        }
    }
}

extension Trait where Self == LiveServerTrait {
    static func liveServer(_ extraArguments: String...) -> Self { LiveServerTrait(extraArguments: extraArguments) }
}

enum LiveServer {
    @TaskLocal static var current: ServerProcess?

    /// The suite's server (fails the test when the suite has no `.liveServer()` trait).
    static var server: ServerProcess {
        get throws { try #require(current, "this suite needs the .liveServer() trait") }
    }
}
