import CMPI
import Foundation

/// How the ranks of the job sit on hosts, found by splitting the world communicator into
/// groups that share memory (`MPI_Comm_split_type(MPI_COMM_TYPE_SHARED)`, MPI 3.1 section 6.4.2).
/// The MPI runtime decides what a host is, so this stays right where host names do not (network
/// namespaces on one machine share one host name).
public struct HostLayout: Sendable {
    /// Number of hosts.
    public let hosts: Int
    /// Ranks on the most loaded host.
    public let ranksPerHost: Int
    /// Ranks on this rank's host.
    public let ranksOnThisHost: Int
    /// Each host's name, in the order of the hosts' lowest ranks.
    public let hostNames: [String]

    /// Collective over `world`: every rank must call it.
    public static func discover(world: Communicator) throws(MPIError) -> HostLayout {
        let local = try world.splitByHost()
        let ranksOnThisHost = local.size
        let isHostLeader = local.rank == 0
        try local.free()
        let hosts = try world.allreduce(Int32(isHostLeader ? 1 : 0), .sum)
        let ranksPerHost = try world.allreduce(Int32(clamping: ranksOnThisHost), .max)
        let name = isHostLeader ? try MPIEnvironment.processorName() : ""
        let names = try world.allgather(name, width: Int(MPI_MAX_PROCESSOR_NAME) + 1)
        return HostLayout(hosts: Int(hosts), ranksPerHost: Int(ranksPerHost), ranksOnThisHost: ranksOnThisHost,
                          hostNames: names.filter { !$0.isEmpty })
    }

    /// The environment section of the report for this layout, dated now.
    public func environment(date: Date = Date()) -> EnvironmentInfo {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return EnvironmentInfo(mpiLibrary: MPIEnvironment.libraryVersion, hosts: hosts, ranksPerHost: ranksPerHost,
                               hostNames: hostNames, date: formatter.string(from: date))
    }
}
