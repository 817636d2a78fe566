/// The one home of the scaling-law coefficients Loom ships, each with its source.
public enum ScalingLawCoefficients {
    /// Hoffmann et al. 2022 ("Chinchilla"), approach 3, the coefficients as printed in the paper
    /// (section 3.3 and appendix D.2): E = 1.69, A = 406.4, B = 410.7, alpha = 0.34, beta = 0.28.
    /// With these rounded values the closed form gives 32B parameters on 3.0T tokens (93 per
    /// parameter) at Gopher's 5.76e23 FLOPs, not Chinchilla's 70B on 1.4T; with the TeX source's
    /// unrounded alpha = 0.3392, beta = 0.2849 it gives 40B. Besiroglu et al. 2024 trace the
    /// disagreement with approaches 1 and 2 to this rounding and to an optimiser stopped before
    /// convergence. Models of 70M to 16B parameters were fitted.
    public static let chinchilla = ParametricLossLaw(
        name: "chinchilla", e: 1.69, a: 406.4, b: 410.7, alpha: 0.34, beta: 0.28,
        source: "Hoffmann et al. 2022, approach 3 (section 3.3), coefficients as printed",
        fittedParameterRange: 70e6...16e9)

    /// Hoffmann et al. 2022's approach-3 fit with the unrounded values of the paper's TeX source
    /// (E = 1.6934, alpha = 0.3392, beta = 0.2849; A and B as printed), as Besiroglu et al. 2024
    /// (section 2) report them. Sardana et al. 2024's figure 1 is reproduced with these.
    public static let chinchillaUnrounded = ParametricLossLaw(
        name: "chinchilla-unrounded", e: 1.6934, a: 406.4, b: 410.7, alpha: 0.3392, beta: 0.2849,
        source: "Hoffmann et al. 2022, approach 3, unrounded TeX-source values (Besiroglu et al. 2024, section 2)",
        fittedParameterRange: 70e6...16e9)

    /// Besiroglu, Erdil, Barnett and You 2024, "Chinchilla Scaling: A replication attempt"
    /// (arXiv 2404.10102, table 1): the approach-3 law refitted to the data read from Hoffmann et
    /// al.'s figure 4 (Huber loss, delta 1e-3; 240 points): E = 1.8172, A = 482.01, B = 2085.43,
    /// alpha = 0.3478, beta = 0.3658. Its compute-optimal allocation agrees with approaches 1 and 2
    /// (about 20 tokens per parameter).
    public static let besiroglu = ParametricLossLaw(
        name: "besiroglu", e: 1.8172, a: 482.01, b: 2085.43, alpha: 0.3478, beta: 0.3658,
        source: "Besiroglu et al. 2024, Chinchilla replication (arXiv 2404.10102), table 1",
        fittedParameterRange: 70e6...16e9)

    /// Inference FLOPs per parameter per token: a forward pass, 2 N (Kaplan et al. 2020, section
    /// 2.1; Sardana et al. 2024, section 2).
    public static let inferenceFLOPsPerParameterToken: Double = 2

    /// Training FLOPs per parameter per token, C = 6 N D (Kaplan et al. 2020, section 2.1;
    /// Hoffmann et al. 2022, section 3: forward 2 N D + backward 4 N D).
    public static let flopsPerParameterToken: Double = 6

    /// The rule of thumb read from Hoffmann et al. 2022's approaches 1 and 2 (table 3, approach 1:
    /// 67B parameters and 1.5T tokens at 5.76e23 FLOPs; Chinchilla itself 70B on 1.4T): about 20
    /// training tokens per parameter.
    public static let tokensPerParameterRule: Double = 20
}
