@testable import Collectives
import Foundation
import Testing

@Suite struct ReportTests {
    static let report = BenchmarkReport(
        collective: "allreduce", ranks: 4, reduction: "sum", busBandwidthFactor: 1.5,
        results: [SizeResult(bytes: 4, count: 1, dtype: "float",
                             timeMicroseconds: TimeSummary(min: 1, avg: 2, max: 3), algorithmBandwidth: 0.002,
                             busBandwidth: 0.003, wrong: 0, iterations: 10, warmup: 1)],
        environment: EnvironmentInfo(mpiLibrary: "Open MPI v4.1.4", hosts: 2, ranksPerHost: 2,
                                     hostNames: ["a", "b"], date: "2026-01-01T00:00:00Z"))

    @Test func jsonUsesTheContractKeyNames() throws {
        let text = try Self.report.jsonText()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        for key in ["collective", "ranks", "results", "environment"] { #expect(object[key] != nil, "\(key)") }
        let result = try #require((object["results"] as? [[String: Any]])?.first)
        for key in ["bytes", "count", "dtype", "time_us", "algbw_gbps", "busbw_gbps", "wrong"] {
            #expect(result[key] != nil, "\(key)")
        }
        let time = try #require(result["time_us"] as? [String: Any])
        #expect(Set(time.keys) == ["min", "avg", "max"])
        let environment = try #require(object["environment"] as? [String: Any])
        for key in ["mpi_library", "hosts", "ranks_per_host", "date"] { #expect(environment[key] != nil, "\(key)") }
    }

    @Test func jsonRoundTrips() throws {
        let decoded = try JSONDecoder().decode(BenchmarkReport.self, from: Data(try Self.report.jsonText().utf8))
        #expect(decoded == Self.report)
    }

    @Test func timeSummaryIsMinMeanMax() {
        let summary = TimeSummary(of: [3, 1, 2, 6])
        #expect(summary == TimeSummary(min: 1, avg: 3, max: 6))
        #expect(TimeSummary(of: []) == TimeSummary(min: 0, avg: 0, max: 0))
    }

    @Test func tableRowsHaveTheNcclTestsColumns() throws {
        let operation = try #require(CollectiveCatalog.named("allreduce"))
        let row = ResultTable.row(Self.report.results[0], collective: operation)
        let fields = row.split(separator: " ")
        #expect(fields == ["4", "1", "float", "sum", "-1", "2.00", "1.00", "3.00", "0.00", "0.00", "0"])
        #expect(ResultTable.footer(Self.report.results).contains("Out of bounds values : 0 OK"))
    }
}
