// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "rig",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "rig", targets: ["rig"]),
    .library(name: "RigCore", targets: ["RigCore"]),
    .library(name: "RigSimulator", targets: ["RigSimulator"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
  ],
  targets: [
    // The domain: configuration, wire codecs, runner, evaluation, reporting. No C, no devices.
    .target(
      name: "RigCore",
      dependencies: [
        .product(name: "Yams", package: "Yams"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // The operating-system layer under RigCore (as NIOPosix is to NIOCore): the one descriptor
    // reader thread, child processes, pseudo-terminals, file writers, errno → errors.
    .target(
      name: "RigSystem",
      dependencies: ["RigCore", .product(name: "Subprocess", package: "swift-subprocess")]
    ),
    // Firmware-side telemetry agent, portable C (no malloc, user-supplied write function).
    .target(name: "RigAgent"),
    // Camera emulator device side, portable C: the ArduChip register model.
    .target(name: "RigEmulatorCore"),
    // The simulated bench: virtual RT1062 running counting firmware, emulator, power.
    .target(
      name: "RigSimulator",
      dependencies: ["RigSystem", "RigCore", "RigAgent", "RigEmulatorCore"]
    ),
    // The C libraries of the real bench, through pkg-config (Scripts/setup installs them).
    .systemLibrary(
      name: "CSerialPort", pkgConfig: "libserialport", providers: [.apt(["libserialport-dev"])]),
    .systemLibrary(name: "CGPIOD", pkgConfig: "libgpiod", providers: [.apt(["libgpiod-dev"])]),
    .systemLibrary(name: "CFTDI", pkgConfig: "libftdi1", providers: [.apt(["libftdi1-dev"])]),
    // One header over libgpiod API v1 (1.6.x) and v2 (2.x); Scripts/check-gpiod-v2-headers.
    .target(name: "GPIOShim", dependencies: ["CGPIOD"]),
    // Real bench hardware: serial links (termios; libserialport), GPIO, FTDI, external commands.
    .target(
      name: "RigHardware",
      dependencies: [
        "RigSystem", "RigCore", "CSerialPort", "GPIOShim", "CFTDI",
        .product(name: "Logging", package: "swift-log"),
      ]),
    // The run history store: runs, tests, metrics and per-frame results in SQLite (GRDB).
    .target(
      name: "RigHistory",
      dependencies: ["RigCore", .product(name: "GRDB", package: "GRDB.swift")]),
    // The interactive console's parts that need no terminal: the line editor, typed commands,
    // telemetry records as readable lines (`rig console`).
    .target(name: "RigConsole", dependencies: ["RigCore"]),
    // The thin command-line tool.
    .executableTarget(
      name: "rig",
      dependencies: [
        "RigCore", "RigSystem", "RigSimulator", "RigHardware", "RigHistory", "RigConsole",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // Runs inside the real-kernel test VM (Scripts/qemu): the hardware backends against gpio-sim,
    // 8250 UARTs and QEMU's emulated USB FTDI serial port.
    .executableTarget(
      name: "rig-kernel-check",
      dependencies: [
        "RigHardware", "RigSystem", "RigCore", .product(name: "Logging", package: "swift-log"),
      ]),
    // The performance targets of DESIGN §8, measured (Scripts/benchmark).
    .executableTarget(
      name: "rig-benchmarks",
      dependencies: ["RigCore", "RigSystem", "RigSimulator", "RigHardware", "RigHistory"],
      path: "Benchmarks"),
    // Helpers shared by the test targets: third-party validators, child processes, an in-memory
    // artifact sink, and the scripted bench with its test clock for the runner's unit tests.
    .target(name: "RigTestSupport", dependencies: ["RigSystem", "RigCore"], path: "Tests/RigTestSupport"),
    .testTarget(name: "RigSystemTests", dependencies: ["RigSystem", "RigCore", "RigTestSupport"]),
    .testTarget(name: "RigCoreTests", dependencies: ["RigCore", "RigSystem", "RigTestSupport"]),
    .testTarget(name: "RigAgentTests", dependencies: ["RigAgent", "RigCore"]),
    .testTarget(name: "RigConsoleTests", dependencies: ["RigConsole", "RigCore"]),
    .testTarget(
      name: "RigSimulatorTests",
      dependencies: ["RigSimulator", "RigSystem", "RigCore", "RigEmulatorCore", "RigTestSupport"]),
    .testTarget(
      name: "RigHardwareTests",
      dependencies: [
        "RigHardware", "RigSystem", "RigCore", "RigSimulator", "RigTestSupport",
        .product(name: "Logging", package: "swift-log"),
      ]),
    .testTarget(
      name: "RigHistoryTests",
      dependencies: ["RigHistory", "RigCore", "RigTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
    .testTarget(
      name: "rigTests",
      dependencies: ["rig", "RigCore", "RigSystem", "RigTestSupport", .product(name: "Yams", package: "Yams")]),
  ],
  swiftLanguageModes: [.v6]
)
