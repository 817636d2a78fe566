/// The buffers one rank passes to one run of an operation, already cut to the right counts.
public struct Operands<Element: MPIElement> {
    public let communicator: Communicator
    public let send: UnsafeMutableBufferPointer<Element>
    public let receive: UnsafeMutableBufferPointer<Element>
}
