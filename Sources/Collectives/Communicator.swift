import CMPI

/// A group of ranks that talk to each other: a Swift view of an `MPI_Comm`.
///
/// Every call checks the MPI return code (the communicator uses `MPI_ERRORS_RETURN`, set by
/// `MPIEnvironment.initialize()` and inherited by communicators split from it) and throws
/// `MPIError`. The typed collectives and point-to-point calls are in
/// `Communicator+Collectives.swift` and `Communicator+PointToPoint.swift`.
public struct Communicator {
    /// The underlying MPI handle.
    let handle: MPI_Comm
    /// This process's rank in the communicator, 0 ..< size.
    public let rank: Int
    /// The number of ranks in the communicator.
    public let size: Int

    init(handle: MPI_Comm) throws(MPIError) {
        var rank: Int32 = 0
        var size: Int32 = 0
        try MPIError.check(MPI_Comm_rank(handle, &rank), "MPI_Comm_rank")
        try MPIError.check(MPI_Comm_size(handle, &size), "MPI_Comm_size")
        self.handle = handle
        self.rank = Int(rank)
        self.size = Int(size)
    }

    /// `MPI_Barrier`: returns once every rank has entered it.
    @inline(__always)
    public func barrier() throws(MPIError) {
        try MPIError.check(MPI_Barrier(handle), "MPI_Barrier")
    }

    /// `MPI_Comm_split_type(MPI_COMM_TYPE_SHARED)`: the ranks that share this rank's memory,
    /// i.e. run on the same host. The caller frees it with `free()`.
    public func splitByHost() throws(MPIError) -> Communicator {
        var local: MPI_Comm? = loom_mpi_comm_null()
        try MPIError.check(
            MPI_Comm_split_type(handle, Int32(MPI_COMM_TYPE_SHARED), Int32(rank), loom_mpi_info_null(), &local),
            "MPI_Comm_split_type")
        guard let local else {
            throw MPIError(function: "MPI_Comm_split_type", code: MPI_ERR_COMM, message: "no communicator returned")
        }
        return try Communicator(handle: local)
    }

    /// `MPI_Comm_free` for a communicator this process created (never the world).
    public func free() throws(MPIError) {
        var copy: MPI_Comm? = handle
        try MPIError.check(MPI_Comm_free(&copy), "MPI_Comm_free")
    }
}
