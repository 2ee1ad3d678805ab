internal import CYaml

/// Measures what a YAML document expands to before anything builds it.
///
/// Aliases let a few hundred bytes stand for billions of nodes ("billion laughs"), and a parser
/// that builds the tree first (and hashes alias-expanded mapping keys while doing so, as Yams
/// does to find duplicate keys) spends seconds to hours before any budget applies. So the
/// event stream is walked first, adding each alias's expanded size where it is used, and the
/// document is refused as soon as it passes the bound; an alias as a mapping key is refused
/// outright (keys are plain strings here). Nesting is bounded too: the tree builders that follow
/// recurse once per level, so a body of a hundred thousand `[` would exhaust the stack.
enum YAMLExpansionGuard {
    /// The deepest nesting accepted (JSON bodies have the same bound).
    static let maxDepth = JSONParser.defaultMaxDepth

    private struct Frame {
        var anchor: String?
        var size: Int
        var isMapping: Bool
        var expectingKey: Bool
    }

    /// Throws when `text` expands to more than `maxNodes` values. Syntax errors are left to the
    /// parser that follows, which reports them with their position.
    static func check(_ text: String, maxNodes: Int) throws(ConfigError) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        let result: Result<Void, ConfigError> = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return .success(()) }
            yaml_parser_set_input_string(&parser, base, buffer.count)
            var walker = Walker(maxNodes: maxNodes)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else { return .success(()) }
                let step = walker.consume(event)
                let ended = event.type == YAML_STREAM_END_EVENT
                yaml_event_delete(&event)
                if case .failure = step { return step }
                if ended { return .success(()) }
            }
        }
        try result.get()
    }

    private struct Walker {
        let maxNodes: Int
        var total = 0
        var stack: [Frame] = []
        var sizes: [String: Int] = [:]

        init(maxNodes: Int) {
            self.maxNodes = maxNodes
        }

        private func tooLarge() -> ConfigError {
            .invalid(path: "(document)", reason: "the document expands to more than \(maxNodes) values (nested YAML aliases?)")
        }

        /// Adds a finished node of `size` values to its parent (or the document).
        private mutating func add(_ size: Int) -> Result<Void, ConfigError> {
            total += size
            guard total <= maxNodes else { return .failure(tooLarge()) }
            if !stack.isEmpty {
                stack[stack.count - 1].size += size
                if stack[stack.count - 1].isMapping { stack[stack.count - 1].expectingKey.toggle() }
            }
            return .success(())
        }

        private var atMappingKey: Bool {
            stack.last.map { $0.isMapping && $0.expectingKey } ?? false
        }

        private static func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: $0) }
        }

        mutating func consume(_ event: yaml_event_t) -> Result<Void, ConfigError> {
            switch event.type {
            case YAML_SCALAR_EVENT:
                if let anchor = Self.name(event.data.scalar.anchor) { sizes[anchor] = 1 }
                return add(1)
            case YAML_ALIAS_EVENT:
                let anchor = Self.name(event.data.alias.anchor) ?? ""
                if atMappingKey {
                    return .failure(.invalid(path: "(document)", reason: "the alias *\(anchor) is used as a mapping key; keys must be plain strings"))
                }
                return add(sizes[anchor] ?? 1)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                if atMappingKey {
                    return .failure(.invalid(path: "(document)", reason: "mapping keys must be plain strings"))
                }
                let anchor = isMapping ? Self.name(event.data.mapping_start.anchor) : Self.name(event.data.sequence_start.anchor)
                guard stack.count < YAMLExpansionGuard.maxDepth else {
                    return .failure(.invalid(path: "(document)", reason: "the document nests deeper than \(YAMLExpansionGuard.maxDepth) levels"))
                }
                stack.append(Frame(anchor: anchor, size: 0, isMapping: isMapping, expectingKey: true))
                return .success(())
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { return .success(()) }
                let size = frame.size + 1
                if let anchor = frame.anchor { sizes[anchor] = size }
                // The frame's children were counted as they came; count the collection itself.
                total += 1
                guard total <= maxNodes else { return .failure(tooLarge()) }
                if !stack.isEmpty {
                    stack[stack.count - 1].size += size
                    if stack[stack.count - 1].isMapping { stack[stack.count - 1].expectingKey.toggle() }
                }
                return .success(())
            default:
                return .success(())
            }
        }
    }
}
