// swift-tools-version:6.0
import PackageDescription

let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "parley",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "parley", targets: ["parley"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CParleySystem"),
        .target(name: "ParleySQLite", dependencies: ["CSQLite"]),
        .target(name: "ParleyJSON"),
        .target(name: "ParleyHTTP", dependencies: ["CZlib", "CParleySystem", "ParleyJSON", logging]),
        .target(name: "ParleyCore", dependencies: ["ParleyJSON", logging, crypto]),
        .target(name: "ParleyStore", dependencies: ["ParleyCore", "ParleySQLite"]),
        .target(name: "ParleyAPI", dependencies: ["ParleyCore", "ParleyHTTP"]),
        .target(name: "ParleyApp", dependencies: ["ParleyAPI", "ParleyStore", "ParleyHTTP", "ParleySQLite", logging]),
        .executableTarget(name: "parley", dependencies: ["ParleyApp", argumentParser]),
        .target(name: "ParleyTestSupport", dependencies: ["ParleyApp", "ParleyHTTP"], path: "Tests/ParleyTestSupport"),
        .testTarget(name: "ParleyHTTPTests", dependencies: ["ParleyHTTP", "ParleyTestSupport"]),
        .testTarget(name: "ParleySQLiteTests", dependencies: ["ParleySQLite"]),
        .testTarget(name: "ParleyCoreTests", dependencies: ["ParleyCore"]),
        .testTarget(name: "ParleyStoreTests", dependencies: ["ParleyStore", "ParleySQLite", "ParleyCore", "ParleyTestSupport"]),
        .testTarget(name: "ParleyAppTests", dependencies: ["ParleyApp", "ParleyCore", "ParleyTestSupport"]),
        .testTarget(name: "ParleyAPITests", dependencies: ["ParleyApp", "ParleyTestSupport", "ParleyCore", "ParleySQLite"]),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    target.swiftSettings = settings
}
