/// An error from the Workloads module: a bad model description, an unknown preset, or a model file
/// that cannot be read. Its description is one line naming the bad value and the rule it breaks,
/// as the CLI prints it (ARCHITECTURE.md, "Errors").
public struct WorkloadError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    /// The same error with `context` (usually a file path) put in front: `context: message`.
    public func prefixed(with context: String) -> WorkloadError {
        WorkloadError("\(context): \(description)")
    }
}
