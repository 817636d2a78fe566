import Foundation

/// Memory the largest message size needs, checked before anything is allocated.
///
/// Every rank on a host allocates the same buffers, so the check is
/// `ranks on host x bytes per rank <= 90% of MemAvailable` (Linux /proc/meminfo; the 10% left
/// is for MPI's own buffers and the rest of the process). It is collective: ranks agree on the
/// tightest host, so all of them stop together with the same message instead of some hanging.
public enum HostMemory {
    /// The share of MemAvailable message buffers may take.
    public static let usableFraction = 0.9

    /// MemAvailable in bytes from the text of /proc/meminfo, or nil when absent.
    public static func availableBytes(meminfo: String) -> Int? {
        for line in meminfo.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kibibytes = Int(fields[1]) else { return nil }
            let (bytes, overflow) = kibibytes.multipliedReportingOverflow(by: 1024)
            return overflow ? Int.max : bytes
        }
        return nil
    }

    /// MemAvailable of this host, or nil where /proc/meminfo cannot be read (not Linux).
    public static func availableBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        return availableBytes(meminfo: text)
    }

    /// Collective over `world`: throws `insufficientMemory` on every rank when some host lacks
    /// room for `bytesPerRank` on each of its ranks.
    public static func check(bytesPerRank: Int, maximum: ByteSize, layout: HostLayout,
                             world: Communicator) throws {
        let available = availableBytes().map { Double($0) * usableFraction } ?? Double.greatestFiniteMagnitude
        let allowance = available / Double(max(1, layout.ranksOnThisHost))
        let tightest = try world.allreduce(allowance, .min)
        guard Double(bytesPerRank) > tightest else { return }
        let ranks = layout.ranksPerHost
        throw BenchmarkError.insufficientMemory(maximum: maximum, perRank: bytesPerRank, ranksOnHost: ranks,
                                                available: Int(min(tightest * Double(ranks), Double(Int.max / 2))))
    }
}
