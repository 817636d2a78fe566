import CMPI

/// A Swift type that MPI can send and reduce, with the MPI datatype that describes it.
///
/// Values in benchmark buffers are small whole numbers (see `DataPattern`), so every element
/// type converts them, and their sums over ranks, exactly.
public protocol MPIElement: Equatable, BitwiseCopyable {
    /// The MPI datatype handle for one element.
    static var mpiDatatype: MPI_Datatype { get }
    /// The element type's name in nccl-tests' tables: "float", "double", "int32".
    static var typeName: String { get }
    /// The element holding the whole number `value` (which `DataPattern` keeps small).
    init(patternValue value: Int)
}

extension Float: MPIElement {
    public static var mpiDatatype: MPI_Datatype { loom_mpi_float() }
    public static var typeName: String { "float" }
    public init(patternValue value: Int) { self.init(value) }
}

extension Double: MPIElement {
    public static var mpiDatatype: MPI_Datatype { loom_mpi_double() }
    public static var typeName: String { "double" }
    public init(patternValue value: Int) { self.init(value) }
}

extension Int32: MPIElement {
    public static var mpiDatatype: MPI_Datatype { loom_mpi_int32() }
    public static var typeName: String { "int32" }
    public init(patternValue value: Int) { self.init(truncatingIfNeeded: value) }
}

/// The element types loom-bench can be asked for with `--dtype`.
public enum ElementType: String, CaseIterable, Sendable {
    case float, double, int32

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .float: return MemoryLayout<Float>.size
        case .double: return MemoryLayout<Double>.size
        case .int32: return MemoryLayout<Int32>.size
        }
    }
}
