import CMPI

/// Typed collectives. Each checks that the buffers have the sizes MPI will read and write,
/// derives MPI's `int` counts from them (throwing `MPI_ERR_COUNT` instead of truncating), and
/// throws `MPIError` on a failed call. Buffer sizes follow the MPI 3.1 standard, chapter 5.
extension Communicator {
    /// `MPI_Allreduce`: `receive[i]` becomes the reduction over ranks of `send[i]`.
    @inline(__always)
    public func allreduce<T: MPIElement>(_ send: UnsafeMutableBufferPointer<T>,
                                         into receive: UnsafeMutableBufferPointer<T>,
                                         _ operation: ReductionOperation) throws(MPIError) {
        try requireEqual(receive.count, send.count, "MPI_Allreduce", "receive buffer", "send buffer")
        let count = try mpiCount(send.count, "MPI_Allreduce")
        try MPIError.check(MPI_Allreduce(send.baseAddress, receive.baseAddress, count, T.mpiDatatype,
                                         operation.handle, handle), "MPI_Allreduce")
    }

    /// `MPI_Allgather`: every rank's `send` lands in block `rank` of every rank's `receive`.
    @inline(__always)
    public func allgather<T: MPIElement>(_ send: UnsafeMutableBufferPointer<T>,
                                         into receive: UnsafeMutableBufferPointer<T>) throws(MPIError) {
        try requireEqual(receive.count, try blocks(send.count, "MPI_Allgather"), "MPI_Allgather",
                         "receive buffer", "ranks x send buffer")
        let count = try mpiCount(send.count, "MPI_Allgather")
        try MPIError.check(MPI_Allgather(send.baseAddress, count, T.mpiDatatype,
                                         receive.baseAddress, count, T.mpiDatatype, handle), "MPI_Allgather")
    }

    /// `MPI_Reduce_scatter_block`: block `rank` of the reduction over ranks of `send` lands in
    /// `receive`.
    @inline(__always)
    public func reduceScatterBlock<T: MPIElement>(_ send: UnsafeMutableBufferPointer<T>,
                                                  into receive: UnsafeMutableBufferPointer<T>,
                                                  _ operation: ReductionOperation) throws(MPIError) {
        try requireEqual(send.count, try blocks(receive.count, "MPI_Reduce_scatter_block"),
                         "MPI_Reduce_scatter_block", "send buffer", "ranks x receive buffer")
        let count = try mpiCount(receive.count, "MPI_Reduce_scatter_block")
        try MPIError.check(MPI_Reduce_scatter_block(send.baseAddress, receive.baseAddress, count, T.mpiDatatype,
                                                    operation.handle, handle), "MPI_Reduce_scatter_block")
    }

    /// `MPI_Bcast`: `buffer` on `root` is copied into `buffer` on every rank.
    @inline(__always)
    public func broadcast<T: MPIElement>(_ buffer: UnsafeMutableBufferPointer<T>, root: Int) throws(MPIError) {
        let count = try mpiCount(buffer.count, "MPI_Bcast")
        let root32 = try mpiRank(root, "MPI_Bcast")
        try MPIError.check(MPI_Bcast(buffer.baseAddress, count, T.mpiDatatype, root32, handle), "MPI_Bcast")
    }

    /// `MPI_Alltoall`: block `j` of `send` goes to rank `j`, and block `j` of `receive` comes
    /// from rank `j`.
    @inline(__always)
    public func alltoall<T: MPIElement>(_ send: UnsafeMutableBufferPointer<T>,
                                        into receive: UnsafeMutableBufferPointer<T>) throws(MPIError) {
        try requireEqual(receive.count, send.count, "MPI_Alltoall", "receive buffer", "send buffer")
        guard size > 0, send.count % size == 0 else {
            throw MPIError(function: "MPI_Alltoall", code: MPI_ERR_COUNT,
                           message: "send buffer of \(send.count) elements is not a multiple of \(size) ranks")
        }
        let block = try mpiCount(send.count / size, "MPI_Alltoall")
        try MPIError.check(MPI_Alltoall(send.baseAddress, block, T.mpiDatatype,
                                        receive.baseAddress, block, T.mpiDatatype, handle), "MPI_Alltoall")
    }

    /// `MPI_Gather` of one value per rank to `root`; the result is meaningful on `root` only
    /// (other ranks get an empty array).
    public func gather<T: MPIElement>(_ values: [T], root: Int) throws(MPIError) -> [T] {
        let count = try mpiCount(values.count, "MPI_Gather")
        let root32 = try mpiRank(root, "MPI_Gather")
        let total = try blocks(values.count, "MPI_Gather")
        var send = values
        var receive = [T](repeating: T(patternValue: 0), count: rank == root ? total : 0)
        let status = send.withUnsafeMutableBufferPointer { sendBuffer in
            receive.withUnsafeMutableBufferPointer { receiveBuffer in
                MPI_Gather(sendBuffer.baseAddress, count, T.mpiDatatype,
                           receiveBuffer.baseAddress, count, T.mpiDatatype, root32, handle)
            }
        }
        try MPIError.check(status, "MPI_Gather")
        return receive
    }

    /// `MPI_Allreduce` of a single value.
    public func allreduce<T: MPIElement>(_ value: T, _ operation: ReductionOperation) throws(MPIError) -> T {
        var send = [value]
        var receive = [value]
        let status = send.withUnsafeMutableBufferPointer { sendBuffer in
            receive.withUnsafeMutableBufferPointer { receiveBuffer in
                MPI_Allreduce(sendBuffer.baseAddress, receiveBuffer.baseAddress, 1, T.mpiDatatype,
                              operation.handle, handle)
            }
        }
        try MPIError.check(status, "MPI_Allreduce")
        return receive.first ?? value
    }

    /// `MPI_Allgather` of a fixed-width byte field per rank (host names); returns one string
    /// per rank, in rank order.
    public func allgather(_ text: String, width: Int) throws(MPIError) -> [String] {
        let count = try mpiCount(width, "MPI_Allgather")
        let total = try blocks(width, "MPI_Allgather")
        var send = [CChar](repeating: 0, count: width)
        for (index, byte) in text.utf8.prefix(max(0, width - 1)).enumerated() {
            send[index] = CChar(bitPattern: byte)
        }
        var receive = [CChar](repeating: 0, count: total)
        let status = send.withUnsafeMutableBufferPointer { sendBuffer in
            receive.withUnsafeMutableBufferPointer { receiveBuffer in
                MPI_Allgather(sendBuffer.baseAddress, count, loom_mpi_char(),
                              receiveBuffer.baseAddress, count, loom_mpi_char(), handle)
            }
        }
        try MPIError.check(status, "MPI_Allgather")
        return stride(from: 0, to: total, by: max(1, width)).map { start in
            CString.string(from: Array(receive[start ..< min(total, start + width)]), length: width)
        }
    }

    // MARK: checks shared by the calls above

    /// `count` as MPI's `int`, or `MPI_ERR_COUNT` when it does not fit.
    @inline(__always)
    func mpiCount(_ count: Int, _ function: StaticString) throws(MPIError) -> Int32 {
        guard let value = Int32(exactly: count), value >= 0 else {
            throw MPIError(function: "\(function)", code: MPI_ERR_COUNT,
                           message: "\(count) elements do not fit MPI's int count")
        }
        return value
    }

    /// `rank` as MPI's `int`, or `MPI_ERR_RANK` when it does not fit.
    @inline(__always)
    func mpiRank(_ rank: Int, _ function: StaticString) throws(MPIError) -> Int32 {
        guard let value = Int32(exactly: rank) else {
            throw MPIError(function: "\(function)", code: MPI_ERR_RANK, message: "rank \(rank) does not fit MPI's int")
        }
        return value
    }

    /// `count` blocks, one per rank, without overflow.
    @inline(__always)
    func blocks(_ count: Int, _ function: StaticString) throws(MPIError) -> Int {
        let (total, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow else {
            throw MPIError(function: "\(function)", code: MPI_ERR_COUNT, message: "\(count) x \(size) ranks overflows")
        }
        return total
    }

    /// Throws `MPI_ERR_COUNT` unless a buffer has the element count the call needs.
    @inline(__always)
    func requireEqual(_ actual: Int, _ needed: Int, _ function: StaticString,
                      _ actualName: StaticString, _ neededName: StaticString) throws(MPIError) {
        guard actual == needed else {
            throw MPIError(function: "\(function)", code: MPI_ERR_COUNT,
                           message: "\(actualName) holds \(actual) elements, \(neededName) needs \(needed)")
        }
    }
}
