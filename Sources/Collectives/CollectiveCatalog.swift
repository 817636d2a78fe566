/// Every operation loom-bench can measure, by command-line name.
public enum CollectiveCatalog {
    /// In the order `--help` lists them; the first six are ARCHITECTURE.md's public contract.
    public static let all: [any Collective] = [
        AllReduce(), AllGather(), ReduceScatter(), Broadcast(), AllToAll(), SendRecv(),
        PingPong(), Barrier(),
    ]

    /// The names, for help text and error messages.
    public static var names: [String] { all.map(\.name) }

    /// The operation called `name`, or nil.
    public static func named(_ name: String) -> (any Collective)? {
        all.first { $0.name == name.lowercased() }
    }
}
