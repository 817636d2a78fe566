import Collectives
import Foundation
import Testing

/// Across hosts, on one machine: Benchmarks/collectives/netns-cluster.sh stands up two "hosts" as
/// network namespaces (veth pairs into a bridge, 10.77.0.0/24 inside the namespaces only), starts
/// mpirun in the first with a hostfile and an `ip netns exec` remote-shell agent, one rank per host
/// (no more ranks than cores), and tears everything down when it exits. Each host's link is
/// limited to 200 Mbit/s with `tc tbf`, so the bandwidths can be checked against a known wire.
extension MPILaunchTests {
    @Suite(.enabled(if: NetworkNamespaces.work,
                    "cannot create network namespaces here (needs root, iproute2 and a kernel that allows it)"))
    struct MultiHostTests {
        static let script = NetworkNamespaces.script

        /// 200 Mbit/s in GB/s.
        static let linkGBps = 200e6 / 8 / 1e9

        /// `prefix` names the run's namespaces (NETNS_PREFIX), so that a check of its teardown is
        /// not confused by other runs of this suite on the same machine.
        static func acrossTwoHosts(_ arguments: [String], prefix: String? = nil) throws -> BenchRun {
            let command = ["run", "--hosts", "2", "--rate", "200mbit", "--", BenchRunner.benchPath]
                + arguments + ["--iters", "8", "--warmup", "2", "--timeout", "60", "--format", "json"]
            guard let prefix else { return try BenchRunner.run(script, command, timeLimit: 150) }
            return try BenchRunner.run("/usr/bin/env", ["NETNS_PREFIX=\(prefix)", script] + command, timeLimit: 150)
        }

        @Test func allreduceAcrossTwoHostsIsVerifiedAndBoundByTheLink() throws {
            // Host names are the namespaces' names, so they show that NETNS_PREFIX names them.
            let prefix = "lba\(getpid() % 100_000)"
            let run = try Self.acrossTwoHosts(["allreduce", "--min-bytes", "4", "--max-bytes", "1M"], prefix: prefix)
            let report = try ReportChecks.verified(run, collective: "allreduce", ranks: 2)
            #expect(report.environment.hosts == 2)
            #expect(report.environment.ranksPerHost == 1)
            #expect(Set(report.environment.hostNames) == ["\(prefix)-h0", "\(prefix)-h1"], "\(report.environment.hostNames)")
            // A bandwidth-optimal allreduce sends 2(n-1)/n of the buffer out of every host, so
            // bus bandwidth can never beat the link (nccl-tests doc/PERFORMANCE.md).
            let largest = try #require(report.results.last)
            #expect(largest.busBandwidth <= Self.linkGBps * 1.1, "\(largest.busBandwidth) GB/s")
        }

        @Test func pingpongAcrossTwoHostsReachesTheLinkRate() throws {
            let run = try Self.acrossTwoHosts(["pingpong", "--min-bytes", "1M", "--max-bytes", "2M"])
            let report = try ReportChecks.verified(run, collective: "pingpong", ranks: 2)
            let largest = try #require(report.results.last)
            #expect(largest.busBandwidth <= Self.linkGBps * 1.1, "\(largest.busBandwidth) GB/s")
            #expect(largest.busBandwidth >= Self.linkGBps * 0.5, "\(largest.busBandwidth) GB/s")
        }

        @Test func namespacesAreTornDownEvenWhenTheJobFails() throws {
            let prefix = "lbt\(getpid() % 100_000)"
            let run = try Self.acrossTwoHosts(["allreduce", "--max-bytes", "64", "--inject-fault", "kill:1"], prefix: prefix)
            #expect(run.status != 0)
            #expect(!run.timedOut)
            let list = try BenchRunner.run("/bin/sh", ["-c", "ip netns list"], timeLimit: 30)
            #expect(!list.stdout.contains("\(prefix)-h0") && !list.stdout.contains("\(prefix)-sw"), "\(list.stdout)")
        }
    }
}

/// Whether Benchmarks/collectives/netns-cluster.sh can create namespaces and veth pairs here.
enum NetworkNamespaces {
    static let script = BenchRunner.repositoryRoot.appendingPathComponent("Benchmarks/collectives/netns-cluster.sh").path

    static let work: Bool = {
        guard BenchRunner.hasMPI, FileManager.default.isExecutableFile(atPath: script),
              let probe = try? BenchRunner.run(script, ["probe"], timeLimit: 30) else { return false }
        return probe.status == 0
    }()
}
