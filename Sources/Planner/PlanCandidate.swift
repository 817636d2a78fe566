import CostModel
import Foundation

/// A layout that fits, with what the search ranks it by.
struct PlanCandidate: Sendable {
    var layout: ParallelLayout
    var recipe: TrainingRecipe
    var core: CoreEstimate
    /// Peak bytes of the most loaded GPU.
    var peakMemory: Double
    /// Primary key, higher is better (see `PlanObjective`).
    var score: Double
    /// Secondary key, higher is better.
    var tieBreak: Double
    /// Position in the enumeration (cell index, then inner index): equal scores keep the
    /// earlier layout, so results do not depend on how the search was split over tasks.
    var cell: Int
    var inner: Int

    /// Strictly better than `other` in the total order score, tie-break, enumeration position.
    @inline(__always)
    func isBetter(than other: PlanCandidate) -> Bool {
        if score != other.score { return score > other.score }
        if tieBreak != other.tieBreak { return tieBreak > other.tieBreak }
        if cell != other.cell { return cell < other.cell }
        return inner < other.inner
    }

    /// The ranking keys of an objective.
    @inline(__always)
    static func keys(_ objective: PlanObjective, tokensPerSecond: Double, gpus: Int,
                     peakMemory: Double, goodput: Double = 1) -> (score: Double, tieBreak: Double) {
        switch objective {
        case .timeToTrain: return (tokensPerSecond * goodput, tokensPerSecond)
        case .throughput: return (tokensPerSecond, -peakMemory)
        case .cost: return (tokensPerSecond / Double(max(gpus, 1)), tokensPerSecond)
        case .memory: return (-memoryGrid(peakMemory), tokensPerSecond)
        }
    }

    /// Peak memory rounded up to the next point of a geometric grid of step
    /// `CostModelConstants.planMemoryTieFraction` (1%): layouts on the same point tie on memory
    /// and are ranked by throughput. A grid, not a pairwise tolerance, so the order stays
    /// transitive (two layouts just either side of a grid point still rank by memory).
    @inline(__always)
    static func memoryGrid(_ bytes: Double) -> Double {
        guard bytes > 0, bytes.isFinite else { return bytes }
        let step = log1p(CostModelConstants.planMemoryTieFraction)
        return exp((log(bytes) / step).rounded(.up) * step)
    }
}
