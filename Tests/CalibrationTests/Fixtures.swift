import Hardware

/// DGX A100 80GB from `Topologies/` (datasheet and microbenchmark numbers, sourced there).
func dgxA100() -> ClusterTopology {
    do {
        return try TopologyCatalog.load("dgx-a100-80gb")
    } catch {
        fatalError("Topologies/dgx-a100-80gb.yaml must load: \(error)")
    }
}
