/// Why a step could not be simulated: one line naming the value and the constraint.
public struct SimulationError: Error, CustomStringConvertible, Sendable, Hashable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
