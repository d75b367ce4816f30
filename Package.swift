// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Doorway",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Doorway", targets: ["Doorway"]),
        .library(name: "DoorwayHTTP", targets: ["DoorwayHTTP"]),
        .library(name: "DoorwayServices", targets: ["DoorwayServices"]),
        .library(name: "DoorwayWeb", targets: ["DoorwayWeb"]),
        .library(name: "DoorwayMail", targets: ["DoorwayMail"]),
        .library(name: "DoorwayTorrent", targets: ["DoorwayTorrent"]),
        .library(name: "DoorwayHost", targets: ["DoorwayHost"]),
        .library(name: "DoorwayTesting", targets: ["DoorwayTesting"]),
        .executable(name: "door", targets: ["door"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "Doorway",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        // Helpers every module writes the same way (hex, seeded random, dates, whole reads and writes): package-only.
        .target(
            name: "DoorwayBasics",
            swiftSettings: strictSettings
        ),
        .target(name: "CDoorwayHTTP"),
        // The protocol kit: HTTP pieces more than one application uses.
        .target(
            name: "DoorwayHTTP",
            dependencies: [
                "Doorway",
                "DoorwayBasics",
                "CDoorwayHTTP",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DoorwayServices",
            dependencies: [
                "Doorway",
                "DoorwayBasics",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "CDoorwayWeb"),
        .target(
            name: "DoorwayWeb",
            dependencies: [
                "Doorway",
                "DoorwayBasics",
                "DoorwayHTTP",
                "CDoorwayWeb",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DoorwayMail",
            dependencies: [
                "Doorway",
                "DoorwayBasics",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DoorwayTorrent",
            dependencies: [
                "Doorway",
                "DoorwayBasics",
                "DoorwayHTTP",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DoorwayTesting",
            dependencies: ["Doorway", "DoorwayBasics"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DoorwayHost",
            dependencies: [
                "Doorway",
                "DoorwayBasics",
                "DoorwayHTTP",
                "DoorwayServices",
                "DoorwayWeb",
                "DoorwayMail",
                "DoorwayTorrent",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "door",
            dependencies: [
                "Doorway",
                "DoorwayBasics",
                "DoorwayHTTP",
                "DoorwayServices",
                "DoorwayWeb",
                "DoorwayMail",
                "DoorwayTorrent",
                "DoorwayHost",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "doorway-bench",
            dependencies: [
                "Doorway",
                "DoorwayServices",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ArchitectureTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DoorwayTests",
            dependencies: [
                "Doorway", "DoorwayTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DoorwayInteropTests",
            dependencies: ["Doorway", "DoorwayTesting", "door"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DoorwayBasicsTests",
            dependencies: ["DoorwayBasics"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DoorwayHTTPTests",
            dependencies: [
                "Doorway", "DoorwayBasics", "DoorwayHTTP", "DoorwayTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DoorwayWebTests",
            dependencies: [
                "Doorway", "DoorwayBasics", "DoorwayHTTP", "DoorwayWeb", "DoorwayTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DoorwayMailTests",
            dependencies: [
                "Doorway", "DoorwayBasics", "DoorwayMail", "DoorwayTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DoorwayTorrentTests",
            dependencies: [
                "Doorway", "DoorwayBasics", "DoorwayHTTP", "DoorwayTorrent", "DoorwayTesting",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DoorwayHostTests",
            dependencies: [
                "Doorway", "DoorwayBasics", "DoorwayHTTP", "DoorwayHost", "DoorwayMail", "DoorwayTorrent", "DoorwayWeb",
                "DoorwayTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DoorwayServicesTests",
            dependencies: [
                "Doorway", "DoorwayBasics", "DoorwayServices", "DoorwayTesting",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
