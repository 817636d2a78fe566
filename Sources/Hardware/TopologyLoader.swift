import Foundation
import InputLimits
import Yams

/// Reads cluster descriptions from YAML (schema: `Topologies/README.md`).
///
/// Keys are the snake_case spelling of `ClusterTopology`'s fields. Every error is a
/// `TopologyError` whose one-line description names the file, the line and the key path:
/// malformed YAML (with Yams' line and column), a missing or unknown key, a value of the wrong
/// type, and out-of-range values (checked by `ClusterTopology.validate()`).
public enum TopologyLoader {
    /// Loads and validates the topology file at `path`.
    public static func load(path: String) throws -> ClusterTopology {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TopologyError(.fileNotFound, "no such topology file", file: path)
        }
        guard !isDirectory.boolValue else {
            throw TopologyError(.unreadableFile, "is a directory, not a topology YAML file", file: path)
        }
        let data: Data?
        do {
            data = try InputLimits.readFile(path)
        } catch let error as InputLimitError {
            throw TopologyError(.unreadableFile, error.message, file: path)
        }
        guard let data, let text = String(data: data, encoding: .utf8) else {
            throw TopologyError(.unreadableFile, "cannot be read as UTF-8 text", file: path)
        }
        return try parse(text, file: path)
    }

    /// Parses and validates YAML text; `file` names the source in error messages.
    public static func parse(_ yaml: String, file: String = "<yaml>") throws -> ClusterTopology {
        let root: Node?
        do {
            try InputLimits.check(yaml, file: file)
            root = try Yams.compose(yaml: yaml)
            if let root { try InputLimits.checkExpandedSize(root, file: file) }
        } catch let error as InputLimitError {
            throw TopologyError(.malformedYAML, error.message, file: file)
        } catch let error as YamlError {
            throw malformed(error, file: file)
        } catch {
            throw TopologyError(.malformedYAML, "malformed YAML: \(error)", file: file)
        }
        guard let root else {
            throw TopologyError(.malformedYAML, "the file holds no YAML document", file: file)
        }
        var reader = NodeReader(file: file)
        let topology = try reader.topology(root)
        if let problem = topology.validationProblems().first {
            throw problem.located(file: file, line: problem.field.flatMap { reader.lines[$0] })
        }
        return topology
    }

    private static func malformed(_ error: YamlError, file: String) -> TopologyError {
        switch error {
        case let .scanner(context, problem, mark, _),
             let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "malformed YAML at column \(mark.column): \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return TopologyError(.malformedYAML, message, file: file, line: mark.line)
        case let .reader(problem, offset, _, _):
            let at = offset.map { " at byte \($0)" } ?? ""
            return TopologyError(.malformedYAML, "malformed YAML\(at): \(problem)", file: file)
        default:
            return TopologyError(.malformedYAML, "malformed YAML: \(error)", file: file)
        }
    }
}

// MARK: - Node reading

/// Walks a Yams node tree into a `ClusterTopology`, remembering the line of every key path so
/// that range errors found afterwards can point at it.
private struct NodeReader {
    let file: String
    /// Key path -> 1-based line of its value.
    var lines: [String: Int] = [:]

    init(file: String) { self.file = file }

    mutating func topology(_ root: Node) throws -> ClusterTopology {
        let top = try table(root, path: "", keys: ["name", "description", "accelerator", "node", "scale_out",
                                                   "max_nodes", "calibration", "provenance", "interconnect", "torus",
                                                   "checkpoint_bandwidth_gbps", "failure_rate_per_accelerator_hour"])
        let name = try string(top.required("name"))
        let description = try top.optional("description").map { try string($0) } ?? ""
        let accelerator = try accelerator(top.required("accelerator"))
        let node = try nodeSpec(top.required("node"))
        let scaleOut = try tier(top.required("scale_out"))
        let maxNodes = try top.optional("max_nodes").map { try integer($0) }
        let calibration = try top.optional("calibration").map { try calibrationList($0) } ?? []
        let provenance = try top.optional("provenance").map { try string($0) }
        let shape = try interconnectShape(top)
        return ClusterTopology(name: name, description: description, accelerator: accelerator, node: node,
                               scaleOut: scaleOut, maxNodes: maxNodes, calibration: calibration,
                               provenance: provenance, interconnect: shape.kind, torus: shape.torus,
                               checkpointBandwidthGBps: try top.optional("checkpoint_bandwidth_gbps").map { try number($0) },
                               failureRatePerAcceleratorHour: try top.optional("failure_rate_per_accelerator_hour")
                                   .map { try number($0) })
    }

    private mutating func accelerator(_ entry: Entry) throws -> Accelerator {
        let fields = try table(entry.node, path: entry.path, keys: [
            "name", "peak_tflops", "memory_gib", "memory_bandwidth_gbps", "matmul_efficiency",
            "matmul_half_efficiency_dim", "memory_bandwidth_efficiency", "reserved_memory_gib",
            "attention_efficiency", "flash_attention2_efficiency", "low_precision_matmul_efficiency",
            "banded_attention_efficiency", "attention_key_curve",
        ])
        let peakEntry = try fields.required("peak_tflops")
        let peak = try table(peakEntry.node, path: peakEntry.path, keys: ["fp32", "tf32", "bf16", "fp8", "fp16", "fp4"])
        let peakTFLOPS = PeakThroughput(fp32: try number(peak.required("fp32")),
                                        tf32: try number(peak.required("tf32")),
                                        bf16: try number(peak.required("bf16")),
                                        fp8: try number(peak.required("fp8")),
                                        fp16: try peak.optional("fp16").map { try number($0) },
                                        fp4: try peak.optional("fp4").map { try number($0) } ?? 0)
        return Accelerator(name: try string(fields.required("name")),
                           peakTFLOPS: peakTFLOPS,
                           memoryGiB: try number(fields.required("memory_gib")),
                           memoryBandwidthGBps: try number(fields.required("memory_bandwidth_gbps")),
                           matmulEfficiency: try number(fields.required("matmul_efficiency")),
                           matmulHalfEfficiencyDim: try number(fields.required("matmul_half_efficiency_dim")),
                           memoryBandwidthEfficiency: try number(fields.required("memory_bandwidth_efficiency")),
                           reservedMemoryGiB: try number(fields.required("reserved_memory_gib")),
                           attentionEfficiency: try number(fields.required("attention_efficiency")),
                           flashAttention2Efficiency: try fields.optional("flash_attention2_efficiency").map { try number($0) },
                           lowPrecisionMatmulEfficiency: try fields.optional("low_precision_matmul_efficiency")
                               .map { try number($0) },
                           bandedAttentionEfficiency: try fields.optional("banded_attention_efficiency")
                               .map { try number($0) },
                           attentionKeyCurve: try fields.optional("attention_key_curve").map { try choice($0, of: AttentionKeyCurve.self) })
    }

    private mutating func nodeSpec(_ entry: Entry) throws -> NodeSpec {
        let fields = try table(entry.node, path: entry.path, keys: ["accelerators", "scale_up", "scale_up_domain",
                                                                    "host_memory_gib", "host_link_gbps"])
        return NodeSpec(accelerators: try integer(fields.required("accelerators")),
                        scaleUp: try tier(fields.required("scale_up")),
                        scaleUpDomain: try fields.optional("scale_up_domain").map { try integer($0) },
                        hostMemoryGiB: try fields.optional("host_memory_gib").map { try number($0) },
                        hostLinkGBps: try fields.optional("host_link_gbps").map { try number($0) })
    }

    private mutating func tier(_ entry: Entry) throws -> NetworkTier {
        let fields = try table(entry.node, path: entry.path, keys: [
            "name", "bandwidth_gbps", "latency_us", "bus_efficiency", "topology", "oversubscription",
        ])
        return NetworkTier(name: try string(fields.required("name")),
                           bandwidthGBps: try number(fields.required("bandwidth_gbps")),
                           latencyUs: try number(fields.required("latency_us")),
                           busEfficiency: try number(fields.required("bus_efficiency")),
                           topology: try string(fields.required("topology")),
                           oversubscription: try fields.optional("oversubscription").map { try number($0) } ?? 1)
    }

    /// `interconnect` (switched | pcie | torus; default switched, or torus when a `torus` block
    /// is present) and the `torus` block.
    private mutating func interconnectShape(_ top: Table) throws -> (kind: InterconnectKind?, torus: TorusSpec?) {
        var kind: InterconnectKind?
        if let entry = top.optional("interconnect") {
            kind = try choice(entry, of: InterconnectKind.self)
        }
        var torus: TorusSpec?
        if let entry = top.optional("torus") {
            let fields = try table(entry.node, path: entry.path, keys: [
                "dimensions", "link_bandwidth_gbps", "wrap_multiple", "max_slice", "pod_chips", "cube",
            ])
            torus = TorusSpec(dimensions: try integer(fields.required("dimensions")),
                              linkBandwidthGBps: try number(fields.required("link_bandwidth_gbps")),
                              wrapMultiple: try integer(fields.required("wrap_multiple")),
                              maxSlice: try integerList(fields.required("max_slice")),
                              podChips: try integer(fields.required("pod_chips")),
                              cube: try fields.optional("cube").map { try integerList($0) })
        }
        if kind == .torus, torus == nil, let entry = top.optional("interconnect") {
            throw TopologyError(.missingKey, "interconnect is torus but the torus block is missing", file: file,
                                line: entry.line, field: "torus")
        }
        if let kind, kind != .torus, torus != nil, let entry = top.optional("torus") {
            throw TopologyError(.invalidValue, "a torus block needs interconnect: torus, got \(kind.rawValue)",
                                file: file, line: entry.line, field: "interconnect")
        }
        return (kind, torus)
    }

    private mutating func integerList(_ entry: Entry) throws -> [Int] {
        record(entry)
        guard case let .sequence(sequence) = entry.node else {
            throw typeError(entry, expected: "a list of whole numbers, e.g. [4, 4, 4]")
        }
        return try sequence.enumerated().map { index, item in
            try integer(Entry(path: "\(entry.path)[\(index)]", node: item, line: item.mark?.line ?? entry.line))
        }
    }

    private mutating func calibrationList(_ entry: Entry) throws -> [CollectiveCalibration] {
        record(entry)
        guard case let .sequence(sequence) = entry.node else {
            throw typeError(entry, expected: "a list of {collective, tier, ranks, alpha_us, beta_us_per_byte}")
        }
        var result: [CollectiveCalibration] = []
        for (index, item) in sequence.enumerated() {
            let path = "\(entry.path)[\(index)]"
            let fields = try table(item, path: path, keys: ["collective", "tier", "ranks", "alpha_us",
                                                            "beta_us_per_byte", "min_bytes", "max_bytes"])
            result.append(CollectiveCalibration(collective: try string(fields.required("collective")),
                                                tier: try string(fields.required("tier")),
                                                ranks: try integer(fields.required("ranks")),
                                                alphaUs: try number(fields.required("alpha_us")),
                                                betaUsPerByte: try number(fields.required("beta_us_per_byte")),
                                                minBytes: try fields.optional("min_bytes").map { try number($0) },
                                                maxBytes: try fields.optional("max_bytes").map { try number($0) }))
        }
        return result
    }

    // MARK: Shapes

    /// A mapping's entries by key, after checking that it is a mapping of known, unique keys.
    private mutating func table(_ node: Node, path: String, keys known: [String]) throws -> Table {
        let line = node.mark?.line
        guard case let .mapping(mapping) = node else {
            let what = path.isEmpty ? "the document" : path
            throw TopologyError(.wrongType, "\(what) must be a mapping of keys to values, got \(shape(of: node))",
                                file: file, line: line, field: path.isEmpty ? nil : path)
        }
        var values: [String: Entry] = [:]
        for (keyNode, value) in mapping {
            guard case let .scalar(keyScalar) = keyNode else {
                throw TopologyError(.wrongType, "keys of \(path.isEmpty ? "the document" : path) must be plain words",
                                    file: file, line: keyNode.mark?.line, field: path.isEmpty ? nil : path)
            }
            let key = keyScalar.string
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            guard known.contains(key) else {
                let hint = nearestNames(to: key, in: known, limit: 1).first.map { " (did you mean \($0)?)" } ?? ""
                throw TopologyError(.unknownKey,
                                    "unknown key \(keyPath)\(hint); \(path.isEmpty ? "top-level" : path) keys are "
                                        + known.joined(separator: ", "),
                                    file: file, line: keyNode.mark?.line, field: keyPath)
            }
            guard values[key] == nil else {
                throw TopologyError(.invalidValue, "duplicate key \(keyPath)", file: file,
                                    line: keyNode.mark?.line, field: keyPath)
            }
            values[key] = Entry(path: keyPath, node: value, line: value.mark?.line ?? keyNode.mark?.line)
        }
        return Table(file: file, path: path, line: line, values: values)
    }

    private mutating func record(_ entry: Entry) {
        if let line = entry.line { lines[entry.path] = line }
    }

    private mutating func scalarText(_ entry: Entry, expected: String) throws -> String {
        record(entry)
        guard case let .scalar(scalar) = entry.node else {
            throw typeError(entry, expected: expected)
        }
        return scalar.string
    }

    /// The text of a plain (unquoted) scalar: a quoted "1e308" is a string, not a number.
    private mutating func unquotedText(_ entry: Entry, expected: String) throws -> String {
        let text = try scalarText(entry, expected: expected)
        if case let .scalar(scalar) = entry.node, scalar.style == .singleQuoted || scalar.style == .doubleQuoted {
            throw TopologyError(.wrongType, "\(entry.path) must be \(expected), got the quoted string '\(text)'",
                                file: file, line: entry.line, field: entry.path)
        }
        return text
    }

    /// One of an enumeration's raw values, or an error listing them.
    private mutating func choice<Choice: RawRepresentable & CaseIterable>(_ entry: Entry, of: Choice.Type) throws -> Choice
        where Choice.RawValue == String {
        let text = try string(entry)
        guard let parsed = Choice(rawValue: text) else {
            throw TopologyError(.invalidValue, "\(entry.path) is '\(text)', must be one of "
                                    + Choice.allCases.map(\.rawValue).joined(separator: ", "),
                                file: file, line: entry.line, field: entry.path)
        }
        return parsed
    }

    private mutating func string(_ entry: Entry) throws -> String {
        try scalarText(entry, expected: "a string")
    }

    private mutating func number(_ entry: Entry) throws -> Double {
        let text = try unquotedText(entry, expected: "a number")
        guard let value = parseYAMLNumber(text) else {
            throw TopologyError(.wrongType, "\(entry.path) must be a number, got '\(text)'", file: file,
                                line: entry.line, field: entry.path)
        }
        return value
    }

    private mutating func integer(_ entry: Entry) throws -> Int {
        let text = try unquotedText(entry, expected: "a whole number")
        let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
        if let value = Int(trimmed) { return value }
        if let real = parseYAMLNumber(text), let value = Int(exactly: real) { return value }
        throw TopologyError(.wrongType, "\(entry.path) must be a whole number, got '\(text)'", file: file,
                            line: entry.line, field: entry.path)
    }

    private func typeError(_ entry: Entry, expected: String) -> TopologyError {
        TopologyError(.wrongType, "\(entry.path) must be \(expected), got \(shape(of: entry.node))", file: file,
                      line: entry.line, field: entry.path)
    }

    private func shape(of node: Node) -> String {
        if case let .scalar(scalar) = node { return "'\(scalar.string)'" }
        if case .mapping = node { return "a mapping" }
        if case .sequence = node { return "a list" }
        return "an unsupported YAML node"
    }
}

/// One key's value with its path and line.
private struct Entry {
    var path: String
    var node: Node
    var line: Int?
}

/// A checked mapping.
private struct Table {
    var file: String
    var path: String
    var line: Int?
    var values: [String: Entry]

    /// The value of a required key; a missing key, or one with an empty/null value, is an error
    /// naming the full key path.
    func required(_ key: String) throws -> Entry {
        let keyPath = path.isEmpty ? key : "\(path).\(key)"
        guard let entry = optional(key) else {
            let inside = path.isEmpty ? "" : " (in \(path))"
            throw TopologyError(.missingKey, "missing key \(keyPath)\(inside)", file: file,
                                line: values[key]?.line ?? line, field: keyPath)
        }
        return entry
    }

    /// The value of an optional key; nil when absent or null.
    func optional(_ key: String) -> Entry? {
        guard let entry = values[key] else { return nil }
        if case let .scalar(scalar) = entry.node, scalar.style == .plain || scalar.style == .any,
           ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
            return nil
        }
        return entry
    }
}

/// A YAML number: decimal/scientific notation (underscores allowed), `.nan`, `.inf`, `-.inf`.
/// Non-finite values parse so that validation can name the field that holds them.
func parseYAMLNumber(_ text: String) -> Double? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    switch trimmed.lowercased() {
    case ".nan": return .nan
    case ".inf", "+.inf": return .infinity
    case "-.inf": return -.infinity
    default: break
    }
    guard let first = trimmed.unicodeScalars.first,
          CharacterSet.decimalDigits.contains(first) || first == "-" || first == "+" || first == "."
    else { return nil }
    return Double(trimmed.replacingOccurrences(of: "_", with: ""))
}
