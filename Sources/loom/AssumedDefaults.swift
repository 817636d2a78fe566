import CostModel
import Hardware

/// The settings `loom estimate` took from defaults because the command line left them unset,
/// each with the value it took: the framework's own (`FrameworkProfile`) for ZeRO, sequence
/// parallelism, flash attention and the overlaps, Loom's for the rest. Printed so that a number
/// is never read without the assumptions behind it (issue 13, "Defaults that match the framework").
enum AssumedDefaults {
    static func line(layout options: LayoutOptions, recipe recipeOptions: RecipeOptions,
                     estimate e: Estimate, accelerator: Accelerator? = nil) throws -> String? {
        let l = e.layout
        let r = e.recipe.recipe
        let framework = r.framework.rawValue
        var parts: [String] = []
        if try !recipeOptions.sets("framework") { parts.append("framework \(framework)") }
        if try !recipeOptions.sets("precision") {
            // A part without bf16 (T4, V100, Turing, Pascal) runs 16-bit training in fp16, the
            // format its 16-bit peak is (`PeakThroughput.sixteenBit`).
            let asFP16 = r.precision == .bf16 && accelerator.map { $0.peakTFLOPS.bf16 <= 0 && $0.peakTFLOPS.fp16 > 0 } == true
            parts.append("precision \(r.precision.rawValue)" + (asFP16 ? " (as fp16: \(accelerator!.name) has no bf16)" : ""))
        }
        if options.zero == nil { parts.append("zero \(l.zero) (\(framework))") }
        if options.sequenceParallel == nil, l.tp > 1 { parts.append("sp \(l.sequenceParallel ? "on" : "off") (\(framework))") }
        if try !recipeOptions.sets("flash_attention") {
            parts.append("flash attention \(r.effectiveFlashAttention ? "on" : "off") (\(framework))")
        }
        if try !recipeOptions.sets("recompute") { parts.append("recompute \(l.recompute.rawValue)") }
        if options.microBatch == nil { parts.append("micro-batch \(l.microBatch)") }
        if l.dp > 1, try !recipeOptions.sets("overlap_grad_reduce") {
            parts.append("overlap grad reduce \(r.effectiveOverlapGradReduce ? "on" : "off") (\(framework))")
        }
        if l.dp > 1, l.zero == 3, try !recipeOptions.sets("overlap_param_gather") {
            parts.append("overlap param gather \(r.effectiveOverlapParamGather ? "on" : "off") (\(framework))")
        }
        if l.tp > 1, try !recipeOptions.sets("overlap_tp_comm") {
            let overlaps = r.overlapsTPComm(sequenceParallel: l.sequenceParallel)
            let needsSP = r.effectiveOverlapTPComm && !l.sequenceParallel ? ", not without sequence parallelism" : ""
            parts.append("overlap TP comm \(overlaps ? "on" : "off") (\(framework)\(needsSP))")
        }
        if l.ep > 1, try !recipeOptions.sets("overlap_ep_comm") {
            parts.append("overlap EP comm \(r.effectiveOverlapEPComm ? "on" : "off") (\(framework))")
        }
        return parts.isEmpty ? nil : "assumed (not given): " + parts.joined(separator: ", ")
    }
}
