/// A model size and token count for a compute budget C = 6 N D, with the loss a law predicts.
public struct ComputeOptimalSize: Sendable, Hashable, Codable {
    /// Training FLOPs, C.
    public var flops: Double
    /// Parameters, N.
    public var parameters: Double
    /// Training tokens, D = C / (6 N).
    public var tokens: Double
    /// Predicted final loss L(N, D) under the law.
    public var loss: Double

    public var tokensPerParameter: Double { tokens / parameters }

    public init(flops: Double, parameters: Double, tokens: Double, loss: Double) {
        self.flops = flops
        self.parameters = parameters
        self.tokens = tokens
        self.loss = loss
    }
}

extension ParametricLossLaw {
    /// The loss-minimising N and D for `flops` under C = 6 N D, in closed form (Hoffmann et al.
    /// 2022, section 3.3): N_opt = G (C/6)^a, D_opt = G^-1 (C/6)^b with
    /// G = (alpha A / (beta B))^(1 / (alpha + beta)), a = beta / (alpha + beta), b = alpha / (alpha + beta).
    /// A budget whose optimum is under one parameter or one token is rejected.
    public func computeOptimal(flops: Double) throws -> ComputeOptimalSize {
        try ScalingLawError.requirePositive(flops, "compute budget (FLOPs)")
        let sum = alpha + beta
        let g = pow(alpha * a / (beta * b), 1 / sum)
        let perToken = flops / ScalingLawCoefficients.flopsPerParameterToken
        let parameters = g * pow(perToken, beta / sum)
        let tokens = perToken / parameters
        try Self.requireTrainable(flops: flops, parameters: parameters, tokens: tokens)
        return ComputeOptimalSize(flops: flops, parameters: parameters, tokens: tokens,
                                  loss: try loss(parameters: parameters, tokens: tokens))
    }

    /// The budget whose loss-optimal model has `parameters` (the closed form solved for C):
    /// C / 6 = (N / G)^((alpha + beta) / beta).
    public func computeOptimal(parameters: Double) throws -> ComputeOptimalSize {
        try ScalingLawError.requirePositive(parameters, "parameter count")
        let sum = alpha + beta
        let g = pow(alpha * a / (beta * b), 1 / sum)
        let perToken = pow(parameters / g, sum / beta)
        return try computeOptimal(flops: ScalingLawCoefficients.flopsPerParameterToken * perToken)
    }

    /// The size of the 20-tokens-per-parameter rule for the same budget: N = sqrt(C / (6 x 20)),
    /// D = 20 N, with this law's predicted loss.
    public func tokensPerParameterRule(flops: Double,
                                       tokensPerParameter: Double = ScalingLawCoefficients.tokensPerParameterRule)
        throws -> ComputeOptimalSize {
        try ScalingLawError.requirePositive(flops, "compute budget (FLOPs)")
        try ScalingLawError.requirePositive(tokensPerParameter, "tokens per parameter")
        let parameters = (flops / (ScalingLawCoefficients.flopsPerParameterToken * tokensPerParameter)).squareRoot()
        let tokens = tokensPerParameter * parameters
        try Self.requireTrainable(flops: flops, parameters: parameters, tokens: tokens)
        return ComputeOptimalSize(flops: flops, parameters: parameters, tokens: tokens,
                                  loss: try loss(parameters: parameters, tokens: tokens))
    }

    /// The loss of a given allocation (`parameters` trained on `tokens`) and its FLOPs, 6 N D.
    public func allocation(parameters: Double, tokens: Double) throws -> ComputeOptimalSize {
        ComputeOptimalSize(flops: ScalingLawCoefficients.flopsPerParameterToken * parameters * tokens,
                           parameters: parameters, tokens: tokens,
                           loss: try loss(parameters: parameters, tokens: tokens))
    }

    private static func requireTrainable(flops: Double, parameters: Double, tokens: Double) throws {
        guard parameters >= 1, tokens >= 1 else {
            let shown = [flops, parameters, tokens].map { String(format: "%.3g", $0) }
            throw ScalingLawError("compute budget \(shown[0]) FLOPs is too small for any model: the optimum is "
                                  + "\(shown[1]) parameters on \(shown[2]) tokens (need at least 1 of each)")
        }
    }
}

import Foundation
