import CostModel
import Foundation

/// `data.json` rows have the same keys whatever they hold: a figure a row lacks (no layout, no
/// price, no efficiency in a comparison) is an explicit null, so readers need no key checks.
extension ScalingRow {
    enum CodingKeys: String, CodingKey {
        case cluster, accelerator, gpus, globalBatch, seq, estimate, reason, scalingEfficiency, relativeThroughput,
             exposedCommShare, trainTokens, timeToTrainS, gpuHours, pricePerGpuHour, cost, memoryCapacity, layoutText,
             goodput, timeToTrainWithFailuresS, gpuHoursWithFailures, costWithFailures, expectedInterruptions,
             checkpointIntervalS, checkpointBytes
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(cluster, forKey: .cluster)
        try c.encode(accelerator, forKey: .accelerator)
        try c.encode(gpus, forKey: .gpus)
        try c.encode(globalBatch, forKey: .globalBatch)
        try c.encode(seq, forKey: .seq)
        try c.encode(estimate, forKey: .estimate)
        try c.encode(reason, forKey: .reason)
        try c.encode(scalingEfficiency, forKey: .scalingEfficiency)
        try c.encode(relativeThroughput, forKey: .relativeThroughput)
        try c.encode(exposedCommShare, forKey: .exposedCommShare)
        try c.encode(trainTokens, forKey: .trainTokens)
        try c.encode(timeToTrainS, forKey: .timeToTrainS)
        try c.encode(gpuHours, forKey: .gpuHours)
        try c.encode(pricePerGpuHour, forKey: .pricePerGpuHour)
        try c.encode(cost, forKey: .cost)
        try c.encode(memoryCapacity, forKey: .memoryCapacity)
        try c.encode(estimate == nil ? nil : layoutText, forKey: .layoutText)
        try c.encode(goodput, forKey: .goodput)
        try c.encode(timeToTrainWithFailuresS, forKey: .timeToTrainWithFailuresS)
        try c.encode(gpuHoursWithFailures, forKey: .gpuHoursWithFailures)
        try c.encode(costWithFailures, forKey: .costWithFailures)
        try c.encode(expectedInterruptions, forKey: .expectedInterruptions)
        try c.encode(checkpointIntervalS, forKey: .checkpointIntervalS)
        try c.encode(checkpointBytes, forKey: .checkpointBytes)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cluster = try c.decode(String.self, forKey: .cluster)
        accelerator = try c.decode(String.self, forKey: .accelerator)
        gpus = try c.decode(Int.self, forKey: .gpus)
        globalBatch = try c.decode(Int.self, forKey: .globalBatch)
        seq = try c.decode(Int.self, forKey: .seq)
        estimate = try c.decodeIfPresent(Estimate.self, forKey: .estimate)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        scalingEfficiency = try c.decodeIfPresent(Double.self, forKey: .scalingEfficiency)
        relativeThroughput = try c.decodeIfPresent(Double.self, forKey: .relativeThroughput)
        exposedCommShare = try c.decodeIfPresent(Double.self, forKey: .exposedCommShare)
        trainTokens = try c.decode(Double.self, forKey: .trainTokens)
        timeToTrainS = try c.decodeIfPresent(Double.self, forKey: .timeToTrainS)
        gpuHours = try c.decodeIfPresent(Double.self, forKey: .gpuHours)
        pricePerGpuHour = try c.decodeIfPresent(Double.self, forKey: .pricePerGpuHour)
        cost = try c.decodeIfPresent(Double.self, forKey: .cost)
        memoryCapacity = try c.decode(Double.self, forKey: .memoryCapacity)
        goodput = try c.decodeIfPresent(Double.self, forKey: .goodput)
        timeToTrainWithFailuresS = try c.decodeIfPresent(Double.self, forKey: .timeToTrainWithFailuresS)
        gpuHoursWithFailures = try c.decodeIfPresent(Double.self, forKey: .gpuHoursWithFailures)
        costWithFailures = try c.decodeIfPresent(Double.self, forKey: .costWithFailures)
        expectedInterruptions = try c.decodeIfPresent(Double.self, forKey: .expectedInterruptions)
        checkpointIntervalS = try c.decodeIfPresent(Double.self, forKey: .checkpointIntervalS)
        checkpointBytes = try c.decodeIfPresent(Double.self, forKey: .checkpointBytes)
    }
}
