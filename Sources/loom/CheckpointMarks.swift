import Goodput
import Simulator

/// Where a checkpoint save falls on `simulate`'s timeline. Checkpoints are taken between steps,
/// after the optimizer update (Megatron's `--save-interval` counts iterations), so the interval
/// becomes whole steps: n = max(1, round(interval / step time)). The simulated step is drawn as
/// the n-th, the one a save follows: the blocking part right after it on every stage, and for
/// asynchronous and in-memory checkpoints the background write or copy that follows, overlapping
/// the next steps.
struct CheckpointMarks {
    var intervalSteps: Int
    var marks: [TraceMark]
    var sentence: String

    init(time: TimeToTrainReport, stepSeconds: Double) {
        let steps = stepSeconds > 0 ? (time.checkpointIntervalS / stepSeconds).rounded() : 1
        intervalSteps = steps.isFinite ? max(Int(min(steps, 1e9)), 1) : 1
        marks = [TraceMark(name: "checkpoint save (\(time.checkpointMode), blocking; every \(intervalSteps) steps)",
                           category: "checkpoint", startSeconds: stepSeconds, durationSeconds: time.checkpointBlockingS,
                           track: "checkpoint")]
        if time.checkpointBackgroundS > 0 {
            let what = time.checkpointMode == "in-memory" ? "checkpoint copy to peer memory" : "checkpoint write to storage"
            marks.append(TraceMark(name: "\(what) (background)", category: "checkpoint",
                                   startSeconds: stepSeconds + time.checkpointBlockingS,
                                   durationSeconds: time.checkpointBackgroundS, track: "checkpoint background"))
        }
        sentence = String(format: "checkpoint every %d steps (%.0f s / %.3f s per step); the trace shows this step as "
                              + "the one a save follows: %.2f s blocked", intervalSteps, time.checkpointIntervalS,
                          stepSeconds, time.checkpointBlockingS)
    }
}
