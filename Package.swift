// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "assay",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "AssayCore", targets: ["AssayCore"]),
        .library(name: "AssayStats", targets: ["AssayStats"]),
        .library(name: "AssayProviders", targets: ["AssayProviders"]),
        .library(name: "AssayScorers", targets: ["AssayScorers"]),
        .library(name: "AssayStore", targets: ["AssayStore"]),
        .library(name: "AssayEngine", targets: ["AssayEngine"]),
        .library(name: "AssayReport", targets: ["AssayReport"]),
        .executable(name: "assay", targets: ["assay"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .target(
            name: "AssayCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "AssayStats", swiftSettings: swiftSettings),
        .target(
            name: "AssayProviders",
            dependencies: [
                "AssayCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "AssayScorers", dependencies: ["AssayCore", "AssayStats", "AssayProviders"], swiftSettings: swiftSettings),
        .target(
            name: "AssayStore",
            dependencies: ["AssayCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AssayEngine",
            dependencies: [
                "AssayCore", "AssayStats", "AssayProviders", "AssayScorers", "AssayStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "AssayReport", dependencies: ["AssayCore", "AssayStats"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "assay",
            dependencies: [
                "AssayCore", "AssayStats", "AssayProviders", "AssayScorers", "AssayStore", "AssayEngine", "AssayReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Internal test helpers (not a product): the fake OpenAI-compatible server with fault injection.
        .target(
            name: "AssayTestSupport",
            dependencies: [
                "AssayCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "AssayCoreTests", dependencies: ["AssayCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AssayStatsTests",
            dependencies: ["AssayStats"],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "AssayScorersTests", dependencies: ["AssayScorers", "AssayTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "AssayProvidersTests", dependencies: ["AssayProviders", "AssayTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "AssayStoreTests", dependencies: ["AssayStore"], swiftSettings: swiftSettings),
        .testTarget(name: "AssayReportTests", dependencies: ["AssayReport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AssayEngineTests",
            dependencies: ["AssayEngine", "AssayProviders", "AssayScorers", "AssayStore", "AssayTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AssayIntegrationTests",
            dependencies: ["AssayEngine", "AssayProviders", "AssayTestSupport"],
            swiftSettings: swiftSettings
        ),
    ]
)
