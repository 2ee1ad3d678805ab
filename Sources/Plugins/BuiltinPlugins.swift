import Core

/// The built-in plugins of this repository: codecs now; transports with the server.
public enum BuiltinPlugins {
    /// Registers the built-in codecs (and later transports) into `registry`, through the same
    /// public API an external plugin uses.
    public static func register(into registry: Registry) throws {
        try registry.register(.codec, name: "lz4", aliases: ["LZ4"], summary: "LZ4 block compression (liblz4); the default") { args in
            try args.allowOnly(["acceleration"])
            let acceleration = try args.int("acceleration", default: 1, in: 1...65537) ?? 1
            return LZ4Codec(acceleration: Int32(acceleration))
        }
        try registry.register(.codec, name: "deflate", aliases: ["zlib"], summary: "zlib deflate; better ratio, slower") { args in
            try args.allowOnly(["level"])
            let level = try args.int("level", default: 6, in: 1...9) ?? 6
            return DeflateCodec(level: Int32(level))
        }
        try registry.register(.codec, name: "none", summary: "no compression") { args in
            try args.allowOnly([])
            return NoneCodec()
        }
    }
}
