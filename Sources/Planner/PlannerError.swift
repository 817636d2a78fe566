/// Why a request has no plan, in one line that names the bad value and what would work.
public struct PlannerError: Error, CustomStringConvertible, Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// A request value out of range (`--top 0`, `--max-memory-fraction 2`).
        case invalidRequest
        /// A fixed dimension that no layout can take.
        case invalidConstraint
        /// The global batch is smaller than (or not divisible by) every possible DP size.
        case globalBatchTooSmall
        /// No layout can use this GPU count.
        case unusableGPUCount
        /// Layouts exist but none fits in memory.
        case noLayoutFits
    }

    public var kind: Kind
    public var description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
