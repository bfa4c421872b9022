// swift-tools-version:6.1
// Assay's benchmarks: a package of its own so that the main build and CI never build the benchmark dependency.
// Run them with `make bench` (from the repository root) or, from this folder,
// `swift package --allow-writing-to-package-directory benchmark`. See docs/benchmarks.md.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "AssayBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "assay", path: ".."),
        // The malloc interposer gives the malloc metrics; naming the trait also keeps the Swift 6.3 runtime
        // interposer (not mirrored here) out of the dependency graph.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // The workloads, shared by the ordo-one benchmark targets and the plain `assay-bench` runner.
        .target(
            name: "BenchmarkWorkloads",
            dependencies: [
                .product(name: "AssayCore", package: "assay"),
                .product(name: "AssayEngine", package: "assay"),
                .product(name: "AssayProviders", package: "assay"),
                .product(name: "AssayScorers", package: "assay"),
                .product(name: "AssayStore", package: "assay"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/BenchmarkWorkloads",
            swiftSettings: swiftSettings
        ),
        // The same workloads as a plain release executable, for profilers (perf, valgrind) and quick runs:
        // `swift run -c release assay-bench orchestration` / `... assay-bench scoring`.
        .executableTarget(
            name: "assay-bench",
            dependencies: ["BenchmarkWorkloads"],
            path: "Sources/assay-bench",
            swiftSettings: swiftSettings
        ),
        // Benchmark targets: executables in Benchmarks/<Name>/ with the BenchmarkPlugin, as ordo-one's plugin expects.
        .executableTarget(
            name: "Orchestration",
            dependencies: [
                "BenchmarkWorkloads",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Orchestration",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Scoring",
            dependencies: [
                "BenchmarkWorkloads",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Scoring",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
