import Yams

extension InputLimits {
    /// Refuses a composed YAML document that holds more than `maxExpandedNodes` nodes once
    /// its aliases are expanded (a "billion laughs" alias bomb). Yams composes an alias as a
    /// shared copy of its anchor's node, so composing is cheap; what explodes is walking or
    /// converting the tree, which this walk bounds: it stops at the limit.
    public static func checkExpandedSize(_ root: Node, file: String) throws {
        var pending: [Node] = [root]
        var seen = 0
        while let node = pending.popLast() {
            seen += 1
            if seen > maxExpandedNodes {
                throw InputLimitError("holds more than \(maxExpandedNodes) YAML nodes once its aliases "
                                          + "(*name) are expanded, the limit for an input file", file: file)
            }
            switch node {
            case .scalar:
                break
            case let .mapping(mapping):
                for (key, value) in mapping {
                    pending.append(key)
                    pending.append(value)
                }
            case let .sequence(sequence):
                pending.append(contentsOf: sequence)
            }
        }
    }
}
