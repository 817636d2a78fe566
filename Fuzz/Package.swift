// swift-tools-version:6.0
// libFuzzer targets for Loom's file readers and cost model (issue 14). Built and run by
// scripts/fuzz.sh, with `-sanitize=fuzzer,address -parse-as-library`; kept out of the main package
// so that a plain `swift build` there builds no fuzz entry points.
import PackageDescription

let loom = Target.Dependency.product(name: "LoomCore", package: "Loom")
/// lld: gold (the default linker here) fails with an internal error reading the sanitized debug info.
let lld = [LinkerSetting.unsafeFlags(["-use-ld=lld"])]

let package = Package(
    name: "LoomFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "Loom", path: "..")],
    targets: [
        .target(name: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer", loom]),
        .executableTarget(name: "fuzz-config-json", dependencies: ["FuzzSupport", loom], linkerSettings: lld),
        .executableTarget(name: "fuzz-model-file", dependencies: ["FuzzSupport", loom], linkerSettings: lld),
        .executableTarget(name: "fuzz-topology", dependencies: ["FuzzSupport", loom], linkerSettings: lld),
        .executableTarget(name: "fuzz-bench-result", dependencies: ["FuzzSupport", loom], linkerSettings: lld),
        .executableTarget(name: "fuzz-estimate", dependencies: ["FuzzSupport", loom], linkerSettings: lld),
        .executableTarget(name: "fuzz-runs-file", dependencies: ["FuzzSupport", loom], linkerSettings: lld),
    ],
    swiftLanguageModes: [.v6]
)
