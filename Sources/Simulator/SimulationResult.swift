/// The simulated timeline of one training step and what it says about each pipeline rank.
public struct SimulationResult: Sendable {
    /// Seconds from the first forward to the end of the last task (optimizer or gather).
    public var stepSeconds: Double
    /// When the last backward pass of any rank ends.
    public var pipelineSeconds: Double
    public var stages: Int
    public var microBatches: Int
    public var chunks: Int
    /// Every task, in the order the simulation placed them.
    public var tasks: [SimulationTask]
    /// Per rank: seconds its compute stream is busy (passes and optimizer).
    public var computeSeconds: [Double]
    /// Per rank: busy fraction of the compute stream over the step.
    public var busyFraction: [Double]
    /// Per rank: seconds a communication stream (p2p or dp) runs while the compute stream is idle.
    public var exposedCommunicationSeconds: [Double]
    /// Per rank: TP/CP/EP (and ZeRO-3) communication inside the passes, per step.
    public var inlineCommunicationSeconds: [Double]

    public init(stepSeconds: Double, pipelineSeconds: Double, stages: Int, microBatches: Int, chunks: Int,
                tasks: [SimulationTask], computeSeconds: [Double], busyFraction: [Double],
                exposedCommunicationSeconds: [Double], inlineCommunicationSeconds: [Double]) {
        self.stepSeconds = stepSeconds
        self.pipelineSeconds = pipelineSeconds
        self.stages = stages
        self.microBatches = microBatches
        self.chunks = chunks
        self.tasks = tasks
        self.computeSeconds = computeSeconds
        self.busyFraction = busyFraction
        self.exposedCommunicationSeconds = exposedCommunicationSeconds
        self.inlineCommunicationSeconds = inlineCommunicationSeconds
    }

    /// Idle time of rank `stage`'s compute stream between the step start and the end of the
    /// pipeline (the last backward of any rank): its share of the bubble and of exposed p2p waits.
    /// For 1F1B with equal stages and free transfers it is (p - 1)/(m + p - 1) of `pipelineSeconds`.
    public func pipelineIdleSeconds(stage: Int) -> Double {
        var busy = 0.0
        for task in tasks where task.stage == stage && (task.kind == .forward || task.kind == .backward) {
            busy += task.duration
        }
        return max(0, pipelineSeconds - busy)
    }
}
