// swift-tools-version:6.0
// Loom: a distributed-training simulator and planner. See README.md and ARCHITECTURE.md.
import PackageDescription

let package = Package(
    name: "Loom",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "loom", targets: ["loom"]),
        .executable(name: "loom-bench", targets: ["loom-bench"]),
        // The readers and the cost model, for the fuzz targets (Fuzz/Package.swift).
        .library(name: "LoomCore", targets: ["InputLimits", "Workloads", "Hardware", "CostModel", "Calibration", "Validation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
    ],
    targets: [
        // MARK: model side (never links MPI)
        .target(name: "NameMatching"),
        .target(name: "InputLimits", dependencies: [.product(name: "Yams", package: "Yams")], exclude: ["README.md"]),
        .target(name: "Workloads", dependencies: ["NameMatching", "InputLimits", .product(name: "Yams", package: "Yams")],
                exclude: ["README.md"]),
        .target(name: "Hardware", dependencies: ["NameMatching", "InputLimits", .product(name: "Yams", package: "Yams")],
                exclude: ["README.md"]),
        .target(name: "CostModel", dependencies: ["Workloads", "Hardware"], exclude: ["README.md"]),
        .target(name: "Calibration", dependencies: ["CostModel", "Hardware", "InputLimits"], exclude: ["CALIBRATION.md", "README.md"]),
        .target(name: "Validation", dependencies: ["CostModel", "Planner", "Workloads", "Hardware"], exclude: ["README.md"]),
        .target(name: "Planner", dependencies: ["CostModel", "Goodput", "Workloads", "Hardware"], exclude: ["README.md"]),
        .target(name: "Simulator", dependencies: ["CostModel", "Workloads", "Hardware"], exclude: ["README.md"]),
        .target(name: "ScalingLaws", exclude: ["README.md"]),
        .target(name: "Goodput", dependencies: ["CostModel", "Hardware", "Workloads"], exclude: ["README.md"]),
        .target(name: "Reporting", dependencies: ["Planner", "Goodput", "CostModel", "Workloads", "Hardware"], exclude: ["README.md"]),
        .executableTarget(
            name: "loom",
            dependencies: [
                "Workloads", "Hardware", "CostModel", "Calibration", "Validation", "Planner", "Simulator", "Reporting",
                "Goodput", "ScalingLaws",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "WorkloadsTests", dependencies: ["Workloads", "NameMatching"], resources: [.copy("Fixtures")]),
        .testTarget(name: "InputLimitsTests", dependencies: ["InputLimits"]),
        .testTarget(name: "HardwareTests", dependencies: ["Hardware", "NameMatching"]),
        .testTarget(name: "CostModelTests", dependencies: ["CostModel", "Workloads", "Hardware"]),
        .testTarget(name: "CalibrationTests", dependencies: ["Calibration", "CostModel", "Hardware"]),
        .testTarget(name: "ValidationTests", dependencies: ["Validation", "CostModel", "Workloads", "Hardware"]),
        .testTarget(name: "PlannerTests", dependencies: ["Planner", "Simulator", "Goodput", "CostModel", "Workloads", "Hardware", "Validation"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "CostModel", "Workloads", "Hardware"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "Goodput", "Planner", "CostModel", "Workloads", "Hardware"]),
        .testTarget(name: "ScalingLawsTests", dependencies: ["ScalingLaws"]),
        .testTarget(name: "GoodputTests", dependencies: ["Goodput", "CostModel", "Workloads", "Hardware"]),
        .testTarget(name: "LoomCLITests", dependencies: ["loom"]),

        // MARK: MPI side (CMPI, Collectives, loom-bench)
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
        .target(name: "Collectives", dependencies: ["CMPI"], exclude: ["README.md"]),
        .executableTarget(
            name: "loom-bench",
            dependencies: [
                "Collectives",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "CollectivesTests", dependencies: ["Collectives", "loom-bench"]),
    ],
    swiftLanguageModes: [.v6]
)
