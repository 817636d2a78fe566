/// Why a time-to-train question has no answer: a rate, time, bandwidth or token count that is not a
/// positive finite number, an interval shorter than the checkpoint write, or maintenance that takes
/// the whole week. `description` is one line naming the value and the constraint, as the CLI prints it.
public struct GoodputError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    static func requirePositive(_ value: Double, _ name: String) throws {
        guard value.isFinite, value > 0 else {
            throw GoodputError("\(name) is \(value), must be a positive finite number")
        }
    }

    static func requireNonNegative(_ value: Double, _ name: String) throws {
        guard value.isFinite, value >= 0 else {
            throw GoodputError("\(name) is \(value), must be a finite number >= 0")
        }
    }
}
