import CMPI

/// An MPI call that returned an error code instead of `MPI_SUCCESS`.
///
/// MPI's default error handler (`MPI_ERRORS_ARE_FATAL`) aborts the whole job with a generic
/// banner; `MPIEnvironment.initialize()` installs `MPI_ERRORS_RETURN` on the world communicator
/// so every failure comes back here and can be reported with the call that failed
/// (MPI 3.1 standard, section 8.3 "Error Handling").
public struct MPIError: Error, CustomStringConvertible, Sendable {
    /// The MPI function that failed, e.g. `MPI_Allreduce`.
    public let function: String
    /// The MPI error code (an `MPI_ERR_*` class or an implementation-specific code).
    public let code: Int32
    /// The library's own text for the code (`MPI_Error_string`).
    public let message: String

    public init(function: String, code: Int32, message: String) {
        self.function = function
        self.code = code
        self.message = message
    }

    /// Builds the error for a failed call, asking the library for the text of `code`.
    init(function: String, code: Int32) {
        self.init(function: function, code: code, message: MPIError.text(for: code))
    }

    public var description: String { "\(function) failed: \(message) (MPI error \(code))" }

    /// Throws unless `code` is `MPI_SUCCESS`. Used after every MPI call in this module.
    @inline(__always)
    static func check(_ code: Int32, _ function: @autoclosure () -> String) throws(MPIError) {
        if code != MPI_SUCCESS { throw MPIError(function: function(), code: code) }
    }

    /// `MPI_Error_string`, which is callable before `MPI_Init` and after `MPI_Finalize`.
    static func text(for code: Int32) -> String {
        var bytes = [CChar](repeating: 0, count: Int(MPI_MAX_ERROR_STRING) + 1)
        var length: Int32 = 0
        let status = bytes.withUnsafeMutableBufferPointer { MPI_Error_string(code, $0.baseAddress, &length) }
        guard status == MPI_SUCCESS else { return "unknown MPI error" }
        return CString.string(from: bytes, length: Int(length))
    }
}
