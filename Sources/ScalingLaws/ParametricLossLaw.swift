/// A fitted parametric loss law L(N, D) = E + A / N^alpha + B / D^beta, with N the parameter count
/// and D the training tokens (Hoffmann et al. 2022, "Training Compute-Optimal Large Language
/// Models", section 3.3). The coefficients of the published fits live in
/// `ScalingLawCoefficients.swift` with their sources.
public struct ParametricLossLaw: Sendable, Hashable, Codable {
    /// Short name the CLI accepts (`chinchilla`, `besiroglu`).
    public var name: String
    /// Irreducible loss (nats per token).
    public var e: Double
    public var a: Double
    public var b: Double
    public var alpha: Double
    public var beta: Double
    /// Where the coefficients come from (paper, section or table).
    public var source: String
    /// Smallest and largest model sizes (parameters) the fit was made on; outside, the law is an
    /// extrapolation.
    public var fittedParameterRange: ClosedRange<Double>

    public init(name: String, e: Double, a: Double, b: Double, alpha: Double, beta: Double, source: String,
                fittedParameterRange: ClosedRange<Double>) {
        self.name = name
        self.e = e
        self.a = a
        self.b = b
        self.alpha = alpha
        self.beta = beta
        self.source = source
        self.fittedParameterRange = fittedParameterRange
    }

    /// Predicted final training loss of a model of `parameters` trained on `tokens`.
    public func loss(parameters: Double, tokens: Double) throws -> Double {
        try ScalingLawError.requirePositive(parameters, "parameter count")
        try ScalingLawError.requirePositive(tokens, "token count")
        return e + a / pow(parameters, alpha) + b / pow(tokens, beta)
    }

    /// The laws Loom ships, by CLI name.
    public static let published: [ParametricLossLaw] = [ScalingLawCoefficients.chinchilla,
                                                         ScalingLawCoefficients.chinchillaUnrounded,
                                                         ScalingLawCoefficients.besiroglu]

    /// The published law called `name`; the error lists the known names.
    public static func named(_ name: String) throws -> ParametricLossLaw {
        if let law = published.first(where: { $0.name == name.lowercased() }) { return law }
        throw ScalingLawError("unknown scaling law '\(name)': expected one of "
                              + published.map(\.name).joined(separator: ", "))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
