import CostModel
import Foundation
import Hardware

/// How `Calibration.calibrate` reads and fits the benchmark runs.
public struct CalibrationOptions: Sendable, Hashable {
    /// Which per-size time to fit (default: the mean over ranks, as nccl-tests reports).
    public var statistic: TimeStatistic
    public var loss: FitLoss
    /// The link rate each run was measured at, in the order of the runs; empty when unknown.
    public var linkRates: [LinkRate]
    /// The rate the output topology describes; needed when the runs span several rates.
    public var targetRate: LinkRate?
    /// The smallest R^2 on log10 of the times (over every size of a collective and tier, all its
    /// segments together) a fit may have for its topology to be written; NaN is always refused.
    public var minimumRSquared: Double

    /// Default `minimumRSquared`: 0, the point below which the fitted line predicts the log times
    /// worse than their mean does (R^2 = 1 - residual / total variance). Clean sweeps give above
    /// 0.99 (CALIBRATION.md); short sweeps on this shared 2-core host under load gave 0.33-0.92
    /// and still predicted a third link rate within the netns target, so a higher default would
    /// refuse useful runs; a broken run (R^2 -0.17 in issue 14) or NaN is refused. Raise it with
    /// `--min-r2` for stricter calibration.
    public static let defaultMinimumRSquared = 0.0

    public init(statistic: TimeStatistic = .avg, loss: FitLoss = .huber, linkRates: [LinkRate] = [],
                targetRate: LinkRate? = nil, minimumRSquared: Double = CalibrationOptions.defaultMinimumRSquared) {
        self.statistic = statistic
        self.loss = loss
        self.linkRates = linkRates
        self.targetRate = targetRate
        self.minimumRSquared = minimumRSquared
    }
}

/// What calibration found: the fits (one per collective, tier and link rate), the link-rate
/// models, the entries written, and the calibrated topology.
public struct CalibrationResult: Sendable {
    /// One fit of the runs of one collective, tier and link rate.
    public struct RatedFit: Sendable, Hashable {
        public var kind: CollectiveKind
        public var rate: LinkRate?
        public var files: [String]
        public var fit: CollectiveFit
    }

    public var fits: [RatedFit]
    public var rateModels: [LinkRateModel]
    /// The calibration entries added to (or replaced in) the base topology.
    public var entries: [CollectiveCalibration]
    public var topology: ClusterTopology
}

/// `loom calibrate`: from loom-bench runs to a topology whose collective costs are the measured
/// ones. Runs on one host measure the intra-node tier (`scale_up`), runs across hosts the
/// inter-node tier (`scale_out`). Each collective and tier is fitted with `CollectiveFit` (the
/// alpha-beta form of `CollectiveCost`; Thakur et al. 2005, nccl-tests doc/PERFORMANCE.md);
/// runs at several link rates are fitted per rate and joined by a `LinkRateModel`.
public enum Calibration {
    /// Preference for the collective whose fit sets a tier's `latency_us` and `bandwidth_gbps`
    /// (the parameters used for collectives that were not measured).
    static let tierPreference: [CollectiveKind] = [.allReduce, .reduceScatter, .allGather, .broadcast, .allToAll,
                                                   .sendRecv]

    public static func calibrate(runs: [BenchmarkRun], base: ClusterTopology, name: String,
                                 options: CalibrationOptions = CalibrationOptions()) throws -> CalibrationResult {
        guard !runs.isEmpty else { throw CalibrationError("no benchmark files given") }
        let rates = try runRates(runs, options)
        try checkConsistency(runs)

        // Fit every (collective, tier, rate) group; runs of one group are pooled.
        struct GroupKey: Hashable { var kind: CollectiveKind; var tier: String; var rate: Double? }
        var order: [GroupKey] = []
        var members: [GroupKey: [Int]] = [:]
        for (index, run) in runs.enumerated() {
            let key = GroupKey(kind: run.kind, tier: run.tier, rate: rates[index]?.bitsPerSecond)
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(index)
        }
        var fits: [CalibrationResult.RatedFit] = []
        for key in order {
            let group = (members[key] ?? []).map { runs[$0] }
            guard let first = group.first else { continue }
            let samples = group.flatMap { run in
                run.samples.map { (bytes: $0.bytes, microseconds: $0.microseconds(options.statistic)) }
            }
            let files = group.map(\.file)
            // Runs at a known link rate feed the link-rate model, which needs one line per rate;
            // otherwise the sizes may split into ranges of their own bandwidth.
            let segments = key.rate == nil
                ? try CollectiveFit.segmented(first.kind, tier: first.tier, ranks: first.ranks, samples: samples,
                                              loss: options.loss, source: files.joined(separator: ", "))
                : [try CollectiveFit.fit(first.kind, tier: first.tier, ranks: first.ranks, samples: samples,
                                         loss: options.loss, source: files.joined(separator: ", "))]
            try checkQuality(segments, files: files, minimum: options.minimumRSquared)
            for fit in segments {
                fits.append(.init(kind: key.kind, rate: key.rate.map { LinkRate(bitsPerSecond: $0) }, files: files, fit: fit))
            }
        }

        // One entry per (collective, tier): the fit, or the rate model at the target rate.
        var entries: [CollectiveCalibration] = []
        var models: [LinkRateModel] = []
        var seen: [String] = []
        for rated in fits {
            let id = rated.fit.collective + "/" + rated.fit.tier
            if seen.contains(id) { continue }
            seen.append(id)
            let sameGroup = fits.filter { $0.fit.collective == rated.fit.collective && $0.fit.tier == rated.fit.tier }
            let measuredRates = Set(sameGroup.compactMap { $0.rate?.bitsPerSecond })
            if measuredRates.count >= 2 {
                guard let target = options.targetRate else {
                    throw CalibrationError("\(rated.fit.collective) on \(rated.fit.tier) was measured at "
                                               + "\(measuredRates.count) link rates: give --target-rate, the rate "
                                               + "the calibrated topology describes")
                }
                let model = try LinkRateModel.fit(
                    rated.kind, tier: rated.fit.tier, ranks: rated.fit.ranks,
                    runs: sameGroup.compactMap { item in
                        item.rate.map { ($0, item.fit.points.map { (bytes: $0.bytes, microseconds: $0.measuredUs) }) }
                    }, loss: options.loss)
                models.append(model)
                let parameters = model.parameters(at: target)
                guard parameters.betaUsPerByte > 0 else {
                    throw CalibrationError("the link-rate model of \(rated.fit.collective) on \(rated.fit.tier) gives no "
                                               + "bandwidth term at \(target)")
                }
                entries.append(CollectiveCalibration(collective: rated.fit.collective, tier: rated.fit.tier,
                                                     ranks: rated.fit.ranks, alphaUs: parameters.alphaUs,
                                                     betaUsPerByte: parameters.betaUsPerByte))
            } else {
                if let target = options.targetRate, let measured = rated.rate, measured != target {
                    throw CalibrationError("\(rated.fit.collective) on \(rated.fit.tier) was measured at \(measured) only: "
                                               + "predicting --target-rate \(target) needs runs at two or more rates")
                }
                entries += sameGroup.map(\.fit.calibration)
            }
        }

        var topology = base
        topology.name = name
        let kept = base.calibration.filter { old in !entries.contains { $0.collective == old.collective && $0.tier == old.tier } }
        topology.calibration = kept + entries
        for tier in Set(entries.map(\.tier)).sorted() {
            let tierRuns = runs.indices.filter { runs[$0].tier == tier }
            let tierRates = Set(tierRuns.compactMap { rates[$0]?.bitsPerSecond })
            let rate = options.targetRate ?? (tierRates.count == 1 ? tierRates.first.map { LinkRate(bitsPerSecond: $0) } : nil)
            update(&topology, tier: tier, from: entries, rate: rate)
        }
        topology.description = base.description.hasSuffix("(calibrated)") ? base.description
            : base.description + " (calibrated)"
        topology.provenance = provenance(runs: runs, base: base, options: options)
        if let problem = topology.validationProblems().first {
            throw CalibrationError("the calibrated topology is not valid: \(problem)")
        }
        return CalibrationResult(fits: fits, rateModels: models, entries: entries, topology: topology)
    }

    /// Refuses a fit whose R^2 on log10 of the times, over all its segments, is NaN or below
    /// `minimum`: no topology is written from measurements the formula does not describe. The
    /// log scale is the one the fit minimises (log residuals); R^2 on the times themselves is
    /// dominated by the largest sizes and goes negative for usable fits of noisy runs (-0.15 for a
    /// 1-256 KiB all-reduce on this host under load, with 0.9 on log times), so it is reported only.
    static func checkQuality(_ segments: [CollectiveFit], files: [String], minimum: Double) throws {
        guard let first = segments.first else { return }
        let points = segments.flatMap(\.points)
        let rSquared = CollectiveFit.coefficientOfDetermination(measured: points.map { log10($0.measuredUs) },
                                                                fitted: points.map { log10($0.fittedUs) })
        guard rSquared.isFinite, rSquared >= minimum else {
            let shown = rSquared.isFinite ? String(format: "%.3f", rSquared) : "\(rSquared)"
            throw CalibrationError("the \(first.collective) fit on \(first.tier) has R^2 \(shown) on log times "
                                       + "(\(files.joined(separator: ", "))), below the minimum "
                                       + "\(minimum) (--min-r2): the times do not follow alpha + beta x bytes; "
                                       + "no topology written")
        }
    }

    /// The link rate of each run (nil where unknown), checked against the options.
    static func runRates(_ runs: [BenchmarkRun], _ options: CalibrationOptions) throws -> [LinkRate?] {
        if options.linkRates.isEmpty {
            if let target = options.targetRate {
                throw CalibrationError("--target-rate \(target) needs --link-rate: the rate of each benchmark file")
            }
            return runs.map { _ in nil }
        }
        guard options.linkRates.count == runs.count else {
            throw CalibrationError("--link-rate gives \(options.linkRates.count) rate(s) for \(runs.count) benchmark "
                                       + "file(s): give one rate per file, in the same order")
        }
        return options.linkRates
    }

    /// Rejects runs that cannot be fitted together: one collective and tier measured with
    /// different rank counts, or both `sendrecv` and `pingpong` for one tier's point-to-point entry.
    static func checkConsistency(_ runs: [BenchmarkRun]) throws {
        for (index, run) in runs.enumerated() {
            for other in runs[..<index] where other.kind == run.kind && other.tier == run.tier {
                if other.ranks != run.ranks {
                    throw CalibrationError("mixed rank counts for \(run.kind.rawValue) on \(run.tier): \(other.file) has "
                                               + "\(other.ranks) ranks, \(run.file) has \(run.ranks); calibrate one "
                                               + "rank count at a time")
                }
                if other.collective != run.collective {
                    throw CalibrationError("\(other.file) (\(other.collective)) and \(run.file) (\(run.collective)) both "
                                               + "measure the \(run.kind.rawValue) entry of \(run.tier): give one of them")
                }
            }
        }
    }

    /// Sets a tier's latency and bandwidth from its preferred fitted collective: latency = alpha
    /// (kept from the base if alpha is 0); bus bandwidth = 1/beta. With a known link rate the
    /// tier's bandwidth is that rate and its bus efficiency the measured fraction of it; without
    /// one, the bandwidth is the measured bus bandwidth at efficiency 1. Oversubscription is kept:
    /// a run on a few hosts cannot see it.
    static func update(_ topology: inout ClusterTopology, tier: String, from entries: [CollectiveCalibration],
                       rate: LinkRate?) {
        let candidates = entries.filter { $0.tier == tier && $0.betaUsPerByte > 0 }
        guard let entry = tierPreference.lazy.compactMap({ kind in candidates.first { $0.collective == kind.rawValue } }).first
        else { return }
        let busGBps = 1e-3 / entry.betaUsPerByte
        var network = tier == "scale_up" ? topology.node.scaleUp : topology.scaleOut
        if entry.alphaUs > 0 { network.latencyUs = entry.alphaUs }
        if let rate, busGBps <= rate.gigabytesPerSecond {
            network.bandwidthGBps = rate.gigabytesPerSecond
            network.busEfficiency = busGBps / rate.gigabytesPerSecond
        } else {
            network.bandwidthGBps = busGBps
            network.busEfficiency = 1
        }
        if !network.name.hasSuffix("(calibrated)") { network.name += " (calibrated)" }
        if tier == "scale_up" { topology.node.scaleUp = network } else { topology.scaleOut = network }
    }

    /// One line: what was measured where and when, with which MPI, how it was fitted, and the base.
    static func provenance(runs: [BenchmarkRun], base: ClusterTopology, options: CalibrationOptions) -> String {
        var parts: [String] = []
        for tier in Set(runs.map(\.tier)).sorted() {
            let tierRuns = runs.filter { $0.tier == tier }
            let collectives = unique(tierRuns.map { "\($0.collective) \($0.ranks) ranks" }).joined(separator: ", ")
            let hosts = unique(tierRuns.flatMap(\.hostNames))
            let shape = unique(tierRuns.map { "\($0.hosts) host(s) x \($0.ranksPerHost) rank(s)" }).joined(separator: ", ")
            let dates = tierRuns.compactMap(\.date).sorted()
            var text = "\(tier) from \(tierRuns.count) loom-bench run(s) (\(collectives)) on \(shape)"
            if !hosts.isEmpty { text += ", hosts " + hosts.joined(separator: " ") }
            if let first = dates.first, let last = dates.last {
                text += first == last ? ", \(first)" : ", \(first) to \(last)"
            }
            let libraries = unique(tierRuns.compactMap { $0.mpiLibrary?.split(separator: ",").first.map(String.init) })
            if !libraries.isEmpty { text += ", " + libraries.joined(separator: "; ") }
            parts.append(text)
        }
        var line = "Calibrated by loom calibrate: " + parts.joined(separator: "; ")
        line += ". Fit: \(options.loss.summary) of time_us.\(options.statistic.rawValue), alpha per latency step and "
            + "beta per bus byte of CostModel's CollectiveKind (Thakur et al. 2005; nccl-tests PERFORMANCE.md)"
        if !options.linkRates.isEmpty {
            let measured = unique(options.linkRates.map(\.description)).joined(separator: ", ")
            line += "; link rates \(measured)"
            if let target = options.targetRate {
                line += ", parameters at \(target) from a joint fit of time = alpha x steps + (beta0 + beta1/rate) x bus bytes"
            }
        }
        line += ". Base: \(base.name)"
        if let baseProvenance = base.provenance, !baseProvenance.isEmpty { line += " (\(baseProvenance))" }
        return line.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    private static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}
