import CLibFuzzer
import CostModel
import Foundation
import Hardware
import Workloads

/// What every fuzz target shares: the bytes as `Data`, the finiteness assertion (a non-finite
/// figure is a finding: it traps, and libFuzzer saves the input), and the checks on a model.
public enum Fuzz {
    /// Runs libFuzzer with the command line's options, calling `test` with each input. Called
    /// from each target's `<module>_main` (see CLibFuzzer.h).
    public static func run(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                           _ test: @escaping (Data) -> Void) -> CInt {
        fuzzTest = test
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments) { start, size in
            fuzzTest(start.map { Data(bytes: $0, count: size) } ?? Data())
            return 0
        }
    }

    /// Traps (a libFuzzer finding) when `value` is NaN or infinite.
    public static func requireFinite(_ value: Double, _ what: @autoclosure () -> String) {
        if !value.isFinite { fatalError("non-finite \(what()): \(value)") }
    }

    /// Traps when any number in an `Encodable` result is non-finite (`FiniteCheck`, as the CLI).
    public static func requireFinite<T: Encodable>(_ value: T, _ what: String) {
        do {
            try FiniteCheck.check(value, what: what, inputs: "fuzz input")
        } catch {
            fatalError("\(error)")
        }
    }

    /// A model that read without error must validate or fail with a `WorkloadError`, and a valid
    /// one must have finite counts and FLOPs.
    public static func checkModel(_ model: TransformerModel) {
        guard (try? model.validate()) != nil else { return }
        let count = model.parameterCount
        if count.total < 0 || count.active < 0 { fatalError("negative parameter count \(count)") }
        for seq in [1, 2048, model.maxSeq] {
            let flops = model.flops(seq: seq)
            requireFinite(flops.forward, "forward FLOPs at seq \(seq)")
        }
    }

    /// The repository's topology presets (found by walking up from the executable, as `loom` does).
    public static let presets: [ClusterTopology] = {
        let listing = TopologyCatalog.all()
        guard !listing.entries.isEmpty else { fatalError("no topology presets found: run from the repository") }
        return listing.entries.map(\.topology)
    }()
}

/// The test `Fuzz.run` calls; set once, before libFuzzer starts (a C callback captures nothing).
nonisolated(unsafe) private var fuzzTest: (Data) -> Void = { _ in }

/// Bytes consumed as small numbers, for building a layout from fuzz input.
public struct ByteStream {
    private var bytes: [UInt8]
    private var index = 0

    public init(_ data: Data) { bytes = Array(data) }

    public mutating func byte() -> UInt8 {
        defer { index += 1 }
        return index < bytes.count ? bytes[index] : 0
    }

    /// A value of 0..<count.
    public mutating func pick(_ count: Int) -> Int { Int(byte()) % max(count, 1) }

    /// A power of two 2^(0...maxExponent), or (one time in 8) a small odd number, so that both
    /// valid and invalid layouts come up.
    public mutating func size(maxExponent: Int) -> Int {
        let b = byte()
        if b & 7 == 7 { return Int(b >> 3) }
        return 1 << (Int(b >> 3) % (maxExponent + 1))
    }

    public mutating func flag() -> Bool { byte() & 1 == 1 }
}
