import CMPI

/// Typed point-to-point calls (MPI 3.1 standard, chapter 3), with the same count checks and
/// error handling as the collectives.
extension Communicator {
    /// `MPI_Send` (blocking, standard mode) of all of `buffer` to `destination`.
    @inline(__always)
    public func send<T: MPIElement>(_ buffer: UnsafeMutableBufferPointer<T>, to destination: Int,
                                    tag: Int32 = 0) throws(MPIError) {
        let count = try mpiCount(buffer.count, "MPI_Send")
        let peer = try mpiRank(destination, "MPI_Send")
        try MPIError.check(MPI_Send(buffer.baseAddress, count, T.mpiDatatype, peer, tag, handle), "MPI_Send")
    }

    /// `MPI_Recv` of exactly `buffer.count` elements from `source` (a longer message is
    /// `MPI_ERR_TRUNCATE`).
    @inline(__always)
    public func receive<T: MPIElement>(into buffer: UnsafeMutableBufferPointer<T>, from source: Int,
                                       tag: Int32 = 0) throws(MPIError) {
        let count = try mpiCount(buffer.count, "MPI_Recv")
        let peer = try mpiRank(source, "MPI_Recv")
        try MPIError.check(MPI_Recv(buffer.baseAddress, count, T.mpiDatatype, peer, tag, handle,
                                    loom_mpi_status_ignore()), "MPI_Recv")
    }

    /// `MPI_Sendrecv`: sends `send` to `destination` while receiving `receive` from `source`,
    /// both directions at once, without the deadlock two blocking sends could cause.
    @inline(__always)
    public func sendReceive<T: MPIElement>(_ send: UnsafeMutableBufferPointer<T>, to destination: Int,
                                           into receive: UnsafeMutableBufferPointer<T>, from source: Int,
                                           tag: Int32 = 0) throws(MPIError) {
        let sendCount = try mpiCount(send.count, "MPI_Sendrecv")
        let receiveCount = try mpiCount(receive.count, "MPI_Sendrecv")
        let to = try mpiRank(destination, "MPI_Sendrecv")
        let from = try mpiRank(source, "MPI_Sendrecv")
        try MPIError.check(MPI_Sendrecv(send.baseAddress, sendCount, T.mpiDatatype, to, tag,
                                        receive.baseAddress, receiveCount, T.mpiDatatype, from, tag,
                                        handle, loom_mpi_status_ignore()), "MPI_Sendrecv")
    }
}
