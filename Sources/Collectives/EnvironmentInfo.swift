/// Where the benchmark ran.
public struct EnvironmentInfo: Codable, Equatable, Sendable {
    /// `MPI_Get_library_version`, first line.
    public var mpiLibrary: String
    /// Distinct hosts (groups of ranks that share memory, `MPI_COMM_TYPE_SHARED`).
    public var hosts: Int
    /// Ranks on the most loaded host (equal on every host under `--map-by node` or equal slots).
    public var ranksPerHost: Int
    /// Each host's name (`MPI_Get_processor_name` of its lowest rank), in rank order.
    public var hostNames: [String]
    /// When the run started, ISO 8601 in UTC.
    public var date: String

    enum CodingKeys: String, CodingKey {
        case hosts, date
        case mpiLibrary = "mpi_library"
        case ranksPerHost = "ranks_per_host"
        case hostNames = "host_names"
    }
}
