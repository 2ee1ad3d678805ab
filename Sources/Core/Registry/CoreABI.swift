import Foundation

/// The identity of the Core build a plugin must have been compiled against.
///
/// Swift has no stable ABI for a non-resilient module: a plugin compiled against another build
/// of Core (other sources, compiler or configuration) would crash at the first call. So the
/// host derives an id from Core's module file (which embeds the compiler version), found beside
/// its executable as SwiftPM and `make install` lay it out, plus the build configuration; `make
/// plugin-sdk` records the same id in the SDK, a plugin built against the SDK reports it from
/// `cockatrice_plugin_abi`, and the loader refuses any other, naming both.
public enum CoreABI {
    /// The build configuration of this Core.
    public static var configuration: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    /// Where Core's module file is looked for, relative to the executable's directory.
    static let moduleFileCandidates = [
        "Modules/Core.swiftmodule",  // a SwiftPM build directory
        "../lib/cockatrice/sdk/Modules/Core.swiftmodule",  // make install
    ]

    /// This host's ABI id, or nil when its module file cannot be found (then no plugin loads).
    public static let hostID: String? = {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let directory = executable.deletingLastPathComponent()
        for candidate in moduleFileCandidates {
            let path = directory.appendingPathComponent(candidate).standardizedFileURL.path
            if let data = FileManager.default.contents(atPath: path) {
                return id(moduleFile: [UInt8](data), configuration: configuration)
            }
        }
        return nil
    }()

    /// The id for a module file's bytes and a configuration: `core-<64-bit FNV-1a hex>-<config>`.
    public static func id(moduleFile: [UInt8], configuration: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in moduleFile {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "core-" + String(repeating: "0", count: 16 - hex.count) + hex + "-" + configuration
    }
}
