// swift-tools-version:6.1
// The fuzz targets of rig (docs/testing.md): one libFuzzer executable per decoder of outside
// bytes, kept out of the main package so `swift build` and `swift test` never see them.
// Built by Scripts/fuzz with the fuzzer and address sanitizers.
import PackageDescription

let targets = [
  "Telemetry", "EmulatorLink", "MBoot", "SDP", "ROM", "Flashloader", "IntelHex", "ELF", "PGM",
  "Labels", "MOT", "SuiteYAML", "RigYAML", "ClipYAML",
]

let package = Package(
  name: "RigFuzz",
  dependencies: [.package(name: "rig", path: "..")],
  targets: [
    .target(
      name: "FuzzSupport",
      dependencies: [
        .product(name: "RigCore", package: "rig"), .product(name: "RigSimulator", package: "rig"),
      ])
  ]
    + targets.map { name in
      .executableTarget(
        name: "Fuzz\(name)",
        dependencies: [
          "FuzzSupport", .product(name: "RigCore", package: "rig"),
          .product(name: "RigSimulator", package: "rig"),
        ])
    },
  swiftLanguageModes: [.v6]
)
