/// Integer arithmetic on sizes that come from user files, which must never trap (ARCHITECTURE.md:
/// "never a crash or a Swift runtime trap on any input"). A result that does not fit in `Int`
/// saturates at `Int.max` (or `Int.min`). On non-negative operands the saturated value is sticky,
/// so a count that reaches `Int.max` is known to have overflowed; `validate()` rejects such models.
enum Saturating {
    static func multiply(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        guard overflow else { return value }
        return (a < 0) == (b < 0) ? Int.max : Int.min
    }

    static func add(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.addingReportingOverflow(b)
        guard overflow else { return value }
        return a < 0 ? Int.min : Int.max
    }

    static func subtract(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.subtractingReportingOverflow(b)
        guard overflow else { return value }
        return a < 0 ? Int.min : Int.max
    }

    static func product(_ factors: Int...) -> Int {
        factors.reduce(1, multiply)
    }

    static func sum(_ terms: Int...) -> Int {
        terms.reduce(0, add)
    }
}
