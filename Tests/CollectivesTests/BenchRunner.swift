import Foundation

/// What one run of loom-bench (under mpirun or alone) left behind.
struct BenchRun {
    var status: Int32
    var stdout: String
    var stderr: String
    /// Wall-clock seconds the run took.
    var seconds: Double
    /// True when the run outlived its time limit and was killed.
    var timedOut: Bool

    /// The lines loom-bench itself wrote to stderr (mpirun adds its own banners around them).
    var benchErrorLines: [Substring] {
        stderr.split(separator: "\n").filter { $0.hasPrefix("loom-bench: error:") }
    }
}

/// Runs the built `loom-bench` as a user would: alone, or under mpirun. The binary sits beside the
/// test bundle in SwiftPM's products directory (found from /proc/self/exe, as LoomCLITests does for
/// `loom`). Output goes to temporary files, so a chatty run cannot block on a full pipe, and every
/// run has a time limit, so a hang fails the test instead of stalling the suite.
enum BenchRunner {
    /// The products directory (.build/<config>) holding loom-bench.
    static let productsDirectory: URL = {
        var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("loom-bench").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }()

    static var benchPath: String { productsDirectory.appendingPathComponent("loom-bench").path }

    /// The repository root, for Benchmarks/collectives/.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// mpirun's path, or nil when OpenMPI's launcher is not installed.
    static let mpirunPath: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/mpirun" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static var hasMPI: Bool { mpirunPath != nil }

    static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// `mpirun -np ranks loom-bench arguments`, oversubscribing when ranks exceed cores.
    static func mpirun(_ ranks: Int, _ arguments: [String], timeLimit: Double = 120) throws -> BenchRun {
        var launcher = ["-np", "\(ranks)", "--allow-run-as-root"]
        if ranks > cores { launcher.append("--oversubscribe") }
        return try run(mpirunPath ?? "mpirun", launcher + [benchPath] + arguments, timeLimit: timeLimit)
    }

    /// loom-bench alone, without mpirun.
    static func alone(_ arguments: [String], timeLimit: Double = 60) throws -> BenchRun {
        try run(benchPath, arguments, timeLimit: timeLimit)
    }

    /// Any program, with a time limit.
    static func run(_ executable: String, _ arguments: [String], timeLimit: Double) throws -> BenchRun {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("loom-bench-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        var environment = ProcessInfo.processInfo.environment
        environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        process.environment = environment
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice

        let start = Date()
        try process.run()
        var timedOut = false
        while process.isRunning {
            if Date().timeIntervalSince(start) > timeLimit {
                timedOut = true
                process.terminate()
                let grace = Date()
                while process.isRunning && Date().timeIntervalSince(grace) < 10 { usleep(50_000) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                break
            }
            usleep(20_000)
        }
        process.waitUntilExit()
        return BenchRun(status: process.terminationStatus,
                        stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                        stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "",
                        seconds: Date().timeIntervalSince(start), timedOut: timedOut)
    }
}
