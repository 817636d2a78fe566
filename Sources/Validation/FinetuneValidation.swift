import CostModel
import Hardware

/// Predicted against reported peak GPU memory, out-of-memory marks and tokens/s of the
/// fine-tuning measurements (`Validation/finetune-runs.json`, `RunMapping.inputs(for:FinetuneRun)`).
public struct FinetuneValidationReport: Sendable, Hashable, Codable {
    public struct Row: Sendable, Hashable, Codable {
        public var id: String
        /// Peak GPU memory as the source measures it, GiB: predicted, and reported (converted from
        /// the source's unit) with the error, predicted / reported - 1.
        public var predictedPeakMemoryGib: Double
        public var reportedPeakMemoryGib: Double?
        public var memoryError: Double?
        /// The source's out-of-memory mark, and whether the estimate fits the GPU.
        public var reportedOutOfMemory: Bool
        public var predictedFits: Bool
        /// Tokens per second of the job: predicted, and reported with its error.
        public var predictedTokensPerS: Double
        public var reportedTokensPerS: Double?
        public var tokensError: Double?
        /// Host memory of the offloaded or paged states of one host, GiB.
        public var predictedHostMemoryGib: Double
        public var assumed: [String]
    }

    public var rows: [Row]
    public var refused: [ValidationReport.Refused]
    public var memory: ErrorSummary
    public var tokens: ErrorSummary
    /// Out-of-memory cases predicted to fit (the target is none).
    public var missedOutOfMemory: [String]
}

public enum FinetuneValidation {
    public static func validate(runs: [FinetuneRun],
                                cluster: (String) throws -> ClusterTopology) -> FinetuneValidationReport {
        var rows: [FinetuneValidationReport.Row] = []
        var refused: [ValidationReport.Refused] = []
        for run in runs {
            switch RunMapping.inputs(for: run, cluster: cluster) {
            case let .failure(refusal):
                refused.append(.init(id: run.id, source: SourceGroup.name(of: run.source), reasons: refusal.reasons))
            case let .success(mapped):
                rows.append(row(run, mapped))
            }
        }
        return FinetuneValidationReport(
            rows: rows, refused: refused, memory: ErrorSummary(errors: rows.compactMap(\.memoryError)),
            tokens: ErrorSummary(errors: rows.compactMap(\.tokensError)),
            missedOutOfMemory: rows.filter { $0.reportedOutOfMemory && $0.predictedFits }.map(\.id))
    }

    static func row(_ run: FinetuneRun, _ mapped: FinetuneInputs) -> FinetuneValidationReport.Row {
        let i = mapped.inputs
        let estimate = Estimator(model: i.model, cluster: i.cluster).estimate(i.layout, recipe: i.recipe)
        let m = estimate.memory
        let predicted = (mapped.allocatedPeak ? m.allocated : m.total) / gibibyte
        var reported: Double?
        var outOfMemory = false
        switch run.reported.peakGpuMemoryGb {
        case let .amount(value)?: reported = value * run.reported.bytesPerUnit / gibibyte
        case .outOfMemory?: outOfMemory = true
        case nil: break
        }
        let perGPU = estimate.tokensPerS
        // The token rate as stated, else the per-GPU one times the GPUs, else samples a second
        // times the sequence (every sample a full sequence, as packed or padded batches run).
        var assumed = i.assumed
        let positive: (Double?) -> Double? = { $0.flatMap { $0 > 0 && $0.isFinite ? $0 : nil } }
        var tokens = positive(run.reported.tokensPerS)
        if tokens == nil, let rate = positive(run.reported.tokensPerSPerGpu) {
            tokens = rate * Double(i.layout.gpus)
        } else if tokens == nil, let samples = positive(run.reported.samplesPerS) {
            tokens = samples * Double(i.layout.seq)
            assumed.append("tokens/s = samples/s x \(i.layout.seq) (U: every sample a full sequence)")
        }
        return .init(id: run.id, predictedPeakMemoryGib: predicted, reportedPeakMemoryGib: reported,
                     memoryError: reported.map { predicted / $0 - 1 }, reportedOutOfMemory: outOfMemory,
                     predictedFits: estimate.fits, predictedTokensPerS: perGPU, reportedTokensPerS: tokens,
                     tokensError: tokens.map { perGPU / $0 - 1 },
                     predictedHostMemoryGib: (estimate.hostMemory?.perHost ?? 0) / gibibyte,
                     assumed: assumed + (i.layout.gpus > 1 && run.reported.tokensPerS != nil
                        ? ["tokens/s of all GPUs (U: scope unstated)"] : []))
    }
}
