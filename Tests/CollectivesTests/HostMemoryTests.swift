@testable import Collectives
import Testing

@Suite struct HostMemoryTests {
    @Test func readsMemAvailableInBytes() {
        let meminfo = """
            MemTotal:       24608772 kB
            MemFree:        22000000 kB
            MemAvailable:   23000000 kB
            Buffers:           12345 kB
            """
        #expect(HostMemory.availableBytes(meminfo: meminfo) == 23_000_000 * 1024)
        #expect(HostMemory.availableBytes(meminfo: "MemTotal: 5 kB") == nil)
        #expect(HostMemory.availableBytes(meminfo: "MemAvailable: lots kB") == nil)
    }

    @Test func messagesNameTheBadValueAndTheLimit() {
        let error = BenchmarkError.insufficientMemory(maximum: ByteSize(bytes: 4 << 30), perRank: 8 << 30,
                                                      ranksOnHost: 4, available: 20 << 30)
        #expect(error.description.contains("--max-bytes 4G"))
        #expect(error.description.contains("8 GiB per rank"))
        #expect(error.description.contains("32 GiB for 4 ranks"))
        #expect(error.description.contains("20 GiB"))
        #expect(!error.description.contains("\n"))
    }

    @Test func faultSpecsParse() {
        #expect(FaultInjection(parsing: "hang:1") == FaultInjection(parsing: "hang:1"))
        #expect(FaultInjection(parsing: "mpi-error:0")?.kind == .mpiError)
        #expect(FaultInjection(parsing: "corrupt:3")?.rank == 3)
        for bad in ["hang", "hang:", "hang:-1", "melt:1", "kill:1:2"] { #expect(FaultInjection(parsing: bad) == nil) }
    }
}
