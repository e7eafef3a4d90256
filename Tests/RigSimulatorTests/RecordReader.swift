// SPDX-License-Identifier: Apache-2.0
import RigCore
import RigTestSupport

/// A tiny host for the tests: reads console chunks into lines and parses telemetry records just
/// enough to check what the virtual DUT said.
final class RecordReader {
  /// One parsed record line.
  struct Record {
    var kind: String
    var nonce: UInt32
    var fields: [String: String]
    /// Whether the line's checksum matched.
    var intact: Bool

    func int(_ key: String) -> Int? { fields[key].flatMap { Int($0) } }
    func hex(_ key: String) -> UInt32? { fields[key].flatMap { UInt32($0, radix: 16) } }
  }

  let console: any SerialLink
  /// The nonce commands carry: the one last sent with hello.
  private(set) var nonce: UInt32 = 1
  private var pending: [UInt8] = []
  /// Lines that were not records (noise).
  private(set) var noise: [[UInt8]] = []

  init(console: any SerialLink) {
    self.console = console
  }

  /// The next record line (intact or not), or nil if none came within `timeout` (stretched for
  /// slow builds).
  func next(within timeout: Duration = .seconds(5)) async throws -> Record? {
    try await next(until: TestTime.deadline(in: timeout))
  }

  private func next(until deadline: ContinuousClock.Instant) async throws -> Record? {
    while true {
      if let newline = pending.firstIndex(of: 0x0A) {
        let line = Array(pending[..<newline])
        pending.removeFirst(newline + 1)
        if let record = Self.parse(line) { return record }
        noise.append(line)
        continue
      }
      guard let chunk = try await console.read(until: deadline) else { return nil }
      pending += chunk.bytes
    }
  }

  /// The next intact record of `kind`, skipping others; nil on timeout.
  func next(_ kind: String, within timeout: Duration = .seconds(5)) async throws -> Record? {
    let deadline = TestTime.deadline(in: timeout)
    while let record = try await next(until: deadline) {
      if record.intact && record.kind == kind { return record }
    }
    return nil
  }

  func send(_ line: String) async throws {
    try await console.write(Array((line + "\r\n").utf8), deadline: .now + .seconds(1))
  }

  func hello(nonce: UInt32) async throws {
    self.nonce = nonce
    try await send(TelemetryWire.command("hello", nonce: nonce))
  }

  func start(test: String) async throws {
    try await send(TelemetryWire.command("start", nonce: nonce, test: test))
  }

  func stop() async throws { try await send(TelemetryWire.command("stop", nonce: nonce)) }
  func stats() async throws { try await send(TelemetryWire.command("stats", nonce: nonce)) }

  static func parse(_ line: [UInt8]) -> Record? {
    TelemetryWire.parse(line)
  }
}
