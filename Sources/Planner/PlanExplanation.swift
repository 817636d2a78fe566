import CostModel
import Foundation

/// One sentence on why the best plan beats the runner-up: the step-time term in which they
/// differ most in the best plan's favour, and the layout dimensions that differ.
/// Example: "best is 0.41 s faster per step than the runner-up; most of it is 0.38 s less
/// pipeline bubble (vpp 2 vs 1)".
public enum PlanExplanation {
    /// The sentence for plans ranked by `objective` (best first).
    public static func compare(_ plans: [Estimate], objective: PlanObjective) -> String {
        guard let best = plans.first else { return "no plan" }
        guard plans.count > 1 else { return "only one layout fits" }
        let runnerUp = plans[1]
        let differences = layoutDifferences(best.layout, runnerUp.layout)
        let dims = differences.isEmpty ? "" : " (\(differences))"
        if objective == .memory {
            let saved = runnerUp.memory.total - best.memory.total
            if PlanCandidate.memoryGrid(best.memory.total) == PlanCandidate.memoryGrid(runnerUp.memory.total) {
                return String(format: "best ties the runner-up on memory (%.2f vs %.2f GiB per GPU, within %.0f%%) and is faster "
                                  + "(%.0f vs %.0f tokens/s)%@", best.memory.total / gibibyte, runnerUp.memory.total / gibibyte,
                              100 * CostModelConstants.planMemoryTieFraction, best.tokensPerS, runnerUp.tokensPerS, dims)
            }
            return String(format: "best needs %.2f GiB less per GPU than the runner-up%@", saved / gibibyte, dims)
        }
        let terms = timeTerms(best.time).enumerated().map { index, term in
            (name: term.name, gain: timeTerms(runnerUp.time)[index].seconds - term.seconds)
        }
        let step = runnerUp.stepTimeS - best.stepTimeS
        guard let largest = terms.max(by: { $0.gain < $1.gain }), largest.gain > 0 else {
            let saved = runnerUp.memory.total - best.memory.total
            if saved > 0 {
                return String(format: "best ties the runner-up on step time (%.3f s) and needs %.2f GiB less per GPU%@",
                              best.stepTimeS, saved / gibibyte, dims)
            }
            return String(format: "best and runner-up take the same step time (%.3f s)%@", best.stepTimeS, dims)
        }
        let text = step > 0
            ? String(format: "best is %@ faster per step than the runner-up", seconds(step))
            : "best ties the runner-up on step time"
        if objective == .timeToTrain && best.layout.gpus != runnerUp.layout.gpus {
            // Different job sizes: failures and checkpoints, not a step-time term, decide.
            return String(format: "best finishes sooner than the runner-up once failures and checkpoints are counted "
                              + "(%.0f vs %.0f tokens/s before goodput)%@", best.tokensPerS, runnerUp.tokensPerS, dims)
        }
        if objective == .cost && best.layout.gpus != runnerUp.layout.gpus {
            // Different job sizes: the per-GPU rate, not one step-time term, is the difference.
            return String(format: "best costs %.1f%% fewer GPU-seconds per token than the runner-up%@",
                          100 * (1 - (runnerUp.tokensPerS / Double(runnerUp.layout.gpus))
                                    / max(best.tokensPerS / Double(best.layout.gpus), 1e-30)), dims)
        }
        return text + "; the largest gain is \(seconds(largest.gain)) less \(largest.name)\(dims)"
    }

    /// The step-time terms with the names the table uses.
    static func timeTerms(_ t: TimeBreakdown) -> [(name: String, seconds: Double)] {
        [("compute", t.compute), ("recompute", t.recompute), ("pipeline bubble", t.bubble),
         ("TP communication", t.tpComm), ("PP communication", t.ppComm), ("DP communication", t.dpComm),
         ("CP communication", t.cpComm), ("EP communication", t.epComm), ("optimizer step", t.optimizer)]
    }

    /// "vpp 2 vs 1, micro-batch 1 vs 2": the dimensions where `a` and `b` differ.
    public static func layoutDifferences(_ a: LayoutEcho, _ b: LayoutEcho) -> String {
        var parts: [String] = []
        func compare(_ name: String, _ x: String, _ y: String) { if x != y { parts.append("\(name) \(x) vs \(y)") } }
        compare("gpus", "\(a.gpus)", "\(b.gpus)")
        compare("tp", "\(a.tp)", "\(b.tp)")
        compare("pp", "\(a.pp)", "\(b.pp)")
        compare("dp", "\(a.dp)", "\(b.dp)")
        compare("cp", "\(a.cp)", "\(b.cp)")
        compare("ep", "\(a.ep)", "\(b.ep)")
        compare("vpp", "\(a.vpp)", "\(b.vpp)")
        compare("zero", "\(a.zero)", "\(b.zero)")
        compare("recompute", a.recompute.rawValue, b.recompute.rawValue)
        compare("sp", a.sequenceParallel ? "on" : "off", b.sequenceParallel ? "on" : "off")
        compare("micro-batch", "\(a.microBatch)", "\(b.microBatch)")
        return parts.joined(separator: ", ")
    }

    /// "tp 8, pp 4, dp 2, cp 1, vpp 1, zero 1, recompute full, sp on, micro-batch 1" (ep when > 1).
    public static func describe(_ layout: ParallelLayout, recipe: TrainingRecipe) -> String {
        var text = "tp \(layout.tp), pp \(layout.pp), dp \(layout.dp), cp \(layout.cp)"
        if layout.ep > 1 { text += ", ep \(layout.ep)" }
        text += ", vpp \(layout.vpp), zero \(layout.zero), recompute \(recipe.recompute.rawValue)"
        text += ", sp \(layout.sequenceParallel ? "on" : "off"), micro-batch \(layout.microBatch)"
        return text
    }

    /// Seconds with a unit that suits the size: "1.80 s", "35.2 ms".
    static func seconds(_ s: Double) -> String {
        s >= 1 ? String(format: "%.2f s", s) : String(format: "%.1f ms", s * 1000)
    }
}
