import CMPI

/// The reductions loom-bench uses, as MPI handles.
public enum ReductionOperation: String, Sendable {
    case sum, min, max

    var handle: MPI_Op {
        switch self {
        case .sum: return loom_mpi_sum()
        case .min: return loom_mpi_min()
        case .max: return loom_mpi_max()
        }
    }
}
