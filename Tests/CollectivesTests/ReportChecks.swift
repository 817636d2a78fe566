import Collectives
import Foundation
import Testing

/// Checks every field of a loom-bench JSON report, as a consumer of the contract would.
enum ReportChecks {
    /// nccl-tests doc/PERFORMANCE.md, written out independently of the descriptors.
    static func expectedFactor(_ name: String, ranks n: Int) -> Double {
        switch name {
        case "allreduce": return Double(2 * (n - 1)) / Double(n)
        case "allgather", "reducescatter", "alltoall": return Double(n - 1) / Double(n)
        case "barrier": return 0
        default: return 1
        }
    }

    /// Parses `run`'s stdout as a report and checks it; returns it for further checks.
    @discardableResult
    static func verified(_ run: BenchRun, collective: String, ranks: Int, dtype: String = "float",
                         sourceLocation: SourceLocation = #_sourceLocation) throws -> BenchmarkReport {
        #expect(!run.timedOut, "timed out", sourceLocation: sourceLocation)
        #expect(run.status == 0, "status \(run.status): \(run.stderr)", sourceLocation: sourceLocation)
        let data = Data(run.stdout.utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any],
                                  sourceLocation: sourceLocation)
        for key in ["collective", "ranks", "results", "environment"] {
            #expect(object[key] != nil, "missing \(key)", sourceLocation: sourceLocation)
        }
        for result in object["results"] as? [[String: Any]] ?? [] {
            for key in ["bytes", "count", "dtype", "time_us", "algbw_gbps", "busbw_gbps", "wrong"] {
                #expect(result[key] != nil, "missing results[].\(key)", sourceLocation: sourceLocation)
            }
        }
        let environment = object["environment"] as? [String: Any] ?? [:]
        for key in ["mpi_library", "hosts", "ranks_per_host", "date"] {
            #expect(environment[key] != nil, "missing environment.\(key)", sourceLocation: sourceLocation)
        }

        let report = try JSONDecoder().decode(BenchmarkReport.self, from: data)
        #expect(report.collective == collective, sourceLocation: sourceLocation)
        #expect(report.ranks == ranks, sourceLocation: sourceLocation)
        let factor = expectedFactor(collective, ranks: ranks)
        #expect(report.busBandwidthFactor == factor, sourceLocation: sourceLocation)
        #expect(!report.results.isEmpty, sourceLocation: sourceLocation)
        #expect(report.results.map(\.bytes) == report.results.map(\.bytes).sorted(), sourceLocation: sourceLocation)
        for result in report.results {
            #expect(result.wrong == 0, "\(result.bytes) B: \(result.wrong) wrong", sourceLocation: sourceLocation)
            let time = result.timeMicroseconds
            #expect(time.min <= time.avg && time.avg <= time.max && time.min > 0, sourceLocation: sourceLocation)
            // Bus bandwidth is exactly algorithm bandwidth times the factor.
            #expect(result.busBandwidth == result.algorithmBandwidth * factor, sourceLocation: sourceLocation)
            if collective == "barrier" {
                #expect(result.bytes == 0 && result.count == 0 && result.dtype == "none", sourceLocation: sourceLocation)
                continue
            }
            #expect(result.dtype == dtype, sourceLocation: sourceLocation)
            let size = dtype == "double" ? 8 : 4
            #expect(result.bytes == result.count * size, sourceLocation: sourceLocation)
            let algbw = Double(result.bytes) / (time.avg * 1e-6) / 1e9
            #expect(abs(result.algorithmBandwidth - algbw) <= 1e-9 * algbw, sourceLocation: sourceLocation)
        }
        #expect(report.environment.mpiLibrary.contains("MPI"), sourceLocation: sourceLocation)
        #expect(ISO8601DateFormatter().date(from: report.environment.date) != nil, sourceLocation: sourceLocation)
        return report
    }
}
