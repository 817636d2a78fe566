/// Inference-aware sizing (Sardana, Portes, Doubov and Frankle 2024, "Beyond Chinchilla-Optimal:
/// Accounting for Inference in Language Model Scaling Laws", ICML, section 2): for a target loss
/// and an expected number of inference tokens, the N and D_train that minimise the lifetime FLOPs
/// 6 N D_train + 2 N D_inference subject to L(N, D_train) = target. A model serving many tokens is
/// smaller and trained longer than the compute-optimal one of the same quality.
public struct InferenceAwareSize: Sendable, Hashable, Codable {
    /// The model, its training tokens and its (target) loss; `flops` is the training FLOPs.
    public var size: ComputeOptimalSize
    public var inferenceTokens: Double
    /// 2 N D_inference.
    public var inferenceFLOPs: Double
    /// Training + inference FLOPs.
    public var lifetimeFLOPs: Double { size.flops + inferenceFLOPs }

    public init(size: ComputeOptimalSize, inferenceTokens: Double) {
        self.size = size
        self.inferenceTokens = inferenceTokens
        self.inferenceFLOPs = ScalingLawCoefficients.inferenceFLOPsPerParameterToken * size.parameters * inferenceTokens
    }
}

extension ParametricLossLaw {
    /// The lifetime-FLOPs-optimal model that reaches `targetLoss` and then serves `inferenceTokens`.
    /// No closed form (Sardana et al. use Newton's method); along the iso-loss curve
    /// D(N) = (B / (target - E - A/N^alpha))^(1/beta), the cost 6 N D(N) + 2 N D_inf goes to infinity
    /// at both ends, so a scan over log N followed by a golden-section search finds its minimum.
    public func inferenceAware(targetLoss: Double, inferenceTokens: Double) throws -> InferenceAwareSize {
        try ScalingLawError.requirePositive(targetLoss, "target loss")
        guard inferenceTokens.isFinite, inferenceTokens >= 0 else {
            throw ScalingLawError("inference tokens is \(inferenceTokens), must be a finite number >= 0")
        }
        guard targetLoss > e else {
            throw ScalingLawError("target loss \(targetLoss) is not above the law's irreducible loss E = \(e)")
        }
        // Smallest model that can reach the target at all (infinite data): A / N^alpha = target - E.
        let floor = log(pow(a / (targetLoss - e), 1 / alpha))
        func tokens(_ logN: Double) -> Double {
            let reducible = targetLoss - e - a / exp(alpha * logN)
            return reducible > 0 ? pow(b / reducible, 1 / beta) : .infinity
        }
        func cost(_ logN: Double) -> Double {
            let n = exp(logN)
            return ScalingLawCoefficients.flopsPerParameterToken * n * tokens(logN)
                + ScalingLawCoefficients.inferenceFLOPsPerParameterToken * n * inferenceTokens
        }
        // Scan 12 decades above the floor (the optimum with no inference is a few times the floor).
        let span = 12 * log(10.0)
        let steps = 2_400
        var best = 1
        var bestCost = Double.infinity
        for i in 1...steps {
            let c = cost(floor + span * Double(i) / Double(steps))
            if c < bestCost { bestCost = c; best = i }
        }
        var lo = floor + span * Double(best - 1) / Double(steps)
        var hi = floor + span * Double(min(best + 1, steps)) / Double(steps)
        let ratio = (5.0.squareRoot() - 1) / 2
        for _ in 0..<200 {
            let x1 = hi - ratio * (hi - lo)
            let x2 = lo + ratio * (hi - lo)
            if cost(x1) < cost(x2) { hi = x2 } else { lo = x1 }
        }
        let logN = (lo + hi) / 2
        let parameters = exp(logN)
        let trainingTokens = tokens(logN)
        guard parameters.isFinite, trainingTokens.isFinite, parameters >= 1, trainingTokens >= 1 else {
            throw ScalingLawError("no model reaches loss \(targetLoss) under the \(name) law with a finite token count")
        }
        let size = ComputeOptimalSize(flops: ScalingLawCoefficients.flopsPerParameterToken * parameters * trainingTokens,
                                      parameters: parameters, tokens: trainingTokens,
                                      loss: try loss(parameters: parameters, tokens: trainingTokens))
        return InferenceAwareSize(size: size, inferenceTokens: inferenceTokens)
    }
}

import Foundation
