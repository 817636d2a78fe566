/// Why a scaling-law question has no answer: a budget or coefficient that is not a positive finite
/// number, or a budget too small for any model. `description` is one line naming the value and the
/// constraint it breaks, as the CLI prints it.
public struct ScalingLawError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    /// Checks that `value` is finite and > 0; the error names `name` and the value.
    static func requirePositive(_ value: Double, _ name: String) throws {
        guard value.isFinite, value > 0 else {
            throw ScalingLawError("\(name) is \(value), must be a positive finite number")
        }
    }
}
