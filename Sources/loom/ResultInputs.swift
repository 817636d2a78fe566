extension WorkloadOptions {
    /// The inputs a result is computed from, as the user gave them, for `FiniteCheck` errors.
    var inputs: String { "--model \(model) --cluster \(cluster)" }
}
