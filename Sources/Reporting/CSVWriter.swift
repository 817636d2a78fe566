import CostModel
import Foundation

/// `data.csv`: one row per GPU count (scaling) or cluster (compare), plain numbers in SI units
/// (seconds, bytes, tokens/s), empty cells where a row has no layout. Quoting per RFC 4180.
public enum CSVWriter {
    public static let columns = [
        "cluster", "accelerator", "gpus", "global_batch", "seq", "status", "reason",
        "tp", "pp", "dp", "cp", "ep", "vpp", "zero", "recompute", "sequence_parallel", "micro_batch",
        "step_time_s", "tokens_per_s", "tflops_per_gpu", "mfu", "hfu", "scaling_efficiency", "relative_throughput",
        "memory_total_bytes", "memory_weights_bytes", "memory_gradients_bytes", "memory_optimizer_bytes",
        "memory_activations_bytes", "memory_other_bytes", "memory_capacity_bytes",
        "time_compute_s", "time_recompute_s", "time_bubble_s", "time_tp_comm_s", "time_pp_comm_s", "time_dp_comm_s",
        "time_cp_comm_s", "time_ep_comm_s", "time_optimizer_s", "exposed_comm_share",
        "train_tokens", "time_to_train_s", "time_to_train_days", "gpu_hours", "price_per_gpu_hour", "cost",
        "goodput", "time_to_train_with_failures_s", "time_to_train_with_failures_days", "gpu_hours_with_failures",
        "cost_with_failures", "expected_interruptions", "checkpoint_interval_s", "checkpoint_bytes",
    ]

    public static func render(_ report: ScalingReport) -> String {
        var lines = [columns.joined(separator: ",")]
        for row in report.rows { lines.append(cells(row).map(quote).joined(separator: ",")) }
        return lines.joined(separator: "\n") + "\n"
    }

    static func cells(_ row: ScalingRow) -> [String] {
        let e = row.estimate
        let l = e?.layout
        let m = e?.memory
        let t = e?.time
        func int(_ v: Int?) -> String { v.map(String.init) ?? "" }
        func num(_ v: Double?) -> String { v.map(number) ?? "" }
        return [
            row.cluster, row.accelerator, String(row.gpus), String(row.globalBatch), String(row.seq),
            e == nil ? "no_layout" : "ok", row.reason ?? "",
            int(l?.tp), int(l?.pp), int(l?.dp), int(l?.cp), int(l?.ep), int(l?.vpp), int(l?.zero),
            l?.recompute.rawValue ?? "", l.map { $0.sequenceParallel ? "true" : "false" } ?? "", int(l?.microBatch),
            num(e?.stepTimeS), num(e?.tokensPerS), num(e?.tflopsPerGpu), num(e?.mfu), num(e?.hfu),
            num(row.scalingEfficiency), num(row.relativeThroughput),
            num(m?.total), num(m?.weights), num(m?.gradients), num(m?.optimizer), num(m?.activations), num(m?.other),
            number(row.memoryCapacity),
            num(t?.compute), num(t?.recompute), num(t?.bubble), num(t?.tpComm), num(t?.ppComm), num(t?.dpComm),
            num(t?.cpComm), num(t?.epComm), num(t?.optimizer), num(row.exposedCommShare),
            number(row.trainTokens), num(row.timeToTrainS), num(row.timeToTrainS.map { $0 / 86_400 }), num(row.gpuHours),
            num(row.pricePerGpuHour), num(row.cost),
            num(row.goodput), num(row.timeToTrainWithFailuresS), num(row.timeToTrainWithFailuresS.map { $0 / 86_400 }),
            num(row.gpuHoursWithFailures), num(row.costWithFailures), num(row.expectedInterruptions),
            num(row.checkpointIntervalS),
            num(row.checkpointBytes),
        ]
    }

    /// Shortest round-tripping decimal; non-finite values become empty cells.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// Quotes a cell holding a comma, quote or line break.
    static func quote(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
