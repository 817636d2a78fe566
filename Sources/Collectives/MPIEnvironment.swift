import CMPI
import Foundation

/// The MPI library as a whole: start-up, shut-down, the clock and facts about the library.
///
/// loom-bench asks for `MPI_THREAD_SINGLE`. Measured here with OpenMPI 4.1, any higher thread
/// level (even `MPI_THREAD_FUNNELED`) makes a 4-byte `MPI_Allreduce` on two ranks about 45%
/// slower, which would put the cost of the harness into what it measures. The watchdog's one
/// MPI call, `MPI_Abort`, is made only when the main thread is stuck (see `Watchdog`).
public enum MPIEnvironment {
    /// Environment variables a launcher sets in every rank it starts: OpenMPI's mpirun
    /// (`OMPI_COMM_WORLD_*`), PMIx and PMI launchers such as srun and hydra.
    static let launcherRankVariables = ["OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"]

    /// This process's rank as told by the launcher, before `MPI_Init`; nil when the process was
    /// not started by an MPI launcher (run by hand as a singleton).
    public static var launcherRank: Int? {
        let environment = ProcessInfo.processInfo.environment
        for name in launcherRankVariables {
            if let value = environment[name], let rank = Int(value) { return rank }
        }
        return nil
    }

    /// `MPI_Init_thread(MPI_THREAD_SINGLE)`, then `MPI_ERRORS_RETURN` on `MPI_COMM_WORLD`
    /// so that failures become `MPIError`s. Returns the world communicator.
    public static func initialize() throws(MPIError) -> Communicator {
        var provided: Int32 = 0
        try MPIError.check(MPI_Init_thread(nil, nil, Int32(MPI_THREAD_SINGLE), &provided),
                           "MPI_Init_thread")
        guard let world = loom_mpi_comm_world() else {
            throw MPIError(function: "MPI_COMM_WORLD", code: MPI_ERR_COMM, message: "no world communicator")
        }
        try MPIError.check(MPI_Comm_set_errhandler(world, loom_mpi_errors_return()),
                           "MPI_Comm_set_errhandler")
        return try Communicator(handle: world)
    }

    /// Whether `MPI_Init` has been called and `MPI_Finalize` has not.
    public static var isActive: Bool {
        var initialized: Int32 = 0
        var finalized: Int32 = 0
        MPI_Initialized(&initialized)
        MPI_Finalized(&finalized)
        return initialized != 0 && finalized == 0
    }

    /// `MPI_Finalize`; a no-op when MPI is not active.
    public static func finalize() {
        if isActive { MPI_Finalize() }
    }

    /// `MPI_Abort` on the world communicator: ends every rank of the job with `code`
    /// (mpirun exits with it). Callable from any thread; it does not return.
    public static func abort(code: Int32) -> Never {
        MPI_Abort(loom_mpi_comm_world(), code)
        // MPI_Abort should not return; if it does, leave without waiting for the others.
        Foundation.exit(code)
    }

    /// `MPI_Wtime`: seconds on the library's wall clock, the clock OSU and nccl-tests time with.
    @inline(__always)
    public static func wallTime() -> Double { MPI_Wtime() }

    /// `MPI_Get_library_version`, first line only (e.g. "Open MPI v4.1.4, package: ...").
    public static var libraryVersion: String {
        var bytes = [CChar](repeating: 0, count: Int(MPI_MAX_LIBRARY_VERSION_STRING) + 1)
        var length: Int32 = 0
        let status = bytes.withUnsafeMutableBufferPointer { MPI_Get_library_version($0.baseAddress, &length) }
        guard status == MPI_SUCCESS else { return "unknown" }
        let text = CString.string(from: bytes, length: Int(length))
        let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        return firstLine.trimmingCharacters(in: .whitespaces)
    }

    /// `MPI_Get_processor_name`: the host this rank runs on, as the library names it.
    public static func processorName() throws(MPIError) -> String {
        var bytes = [CChar](repeating: 0, count: Int(MPI_MAX_PROCESSOR_NAME) + 1)
        var length: Int32 = 0
        let status = bytes.withUnsafeMutableBufferPointer { MPI_Get_processor_name($0.baseAddress, &length) }
        try MPIError.check(status, "MPI_Get_processor_name")
        return CString.string(from: bytes, length: Int(length))
    }
}
