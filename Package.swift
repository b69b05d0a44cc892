// swift-tools-version:6.0
import PackageDescription

// Linux only: the server uses epoll, eventfd and Glibc directly. Dependencies are pinned exactly.

let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "parley",
    products: [
        .executable(name: "parley", targets: ["parley"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CParleySystem"),
        .target(name: "ParleySQLite", dependencies: ["CSQLite", "CParleySystem"]),
        .target(name: "ParleyJSON"),
        .target(name: "ParleyHTTP", dependencies: ["CZlib", "CParleySystem", "ParleyJSON", logging]),
        .target(name: "ParleyCore", dependencies: ["ParleyJSON", logging, crypto]),
        .target(name: "ParleyStore", dependencies: ["ParleyCore", "ParleySQLite"]),
        .target(name: "ParleyAPI", dependencies: ["ParleyCore", "ParleyHTTP"]),
        .target(name: "ParleyApp", dependencies: ["ParleyAPI", "ParleyStore", "ParleyHTTP", "ParleySQLite", "CParleySystem", logging]),
        .executableTarget(name: "parley", dependencies: ["ParleyApp", argumentParser]),
        // Seeded fuzzing of the HTTP and CSV parsers (`make fuzz`).
        .target(name: "ParleyFuzz", dependencies: ["ParleyHTTP", "ParleyCore"]),
        .executableTarget(name: "parley-fuzz", dependencies: ["ParleyFuzz"]),
        .target(name: "ParleyTestSupport", dependencies: ["ParleyApp", "ParleyHTTP", "ParleyStore", "ParleySQLite", "ParleyCore"],
                path: "Tests/ParleyTestSupport"),
        .testTarget(name: "ParleyHTTPTests", dependencies: ["ParleyHTTP", "ParleyTestSupport", "ParleyFuzz"]),
        .testTarget(name: "ParleySQLiteTests", dependencies: ["ParleySQLite", "ParleyTestSupport"]),
        .testTarget(name: "ParleyCoreTests", dependencies: ["ParleyCore"]),
        .testTarget(name: "ParleyStoreTests", dependencies: ["ParleyStore", "ParleySQLite", "ParleyCore", "ParleyTestSupport"]),
        .testTarget(name: "ParleyAppTests", dependencies: ["ParleyApp", "ParleyCore", "ParleyStore", "ParleySQLite", "ParleyTestSupport"]),
        .testTarget(name: "ParleyAPITests", dependencies: ["ParleyApp", "ParleyAPI", "ParleyHTTP", "ParleyTestSupport", "ParleyCore", "ParleySQLite"]),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    target.swiftSettings = settings
}
