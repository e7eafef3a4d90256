// SPDX-License-Identifier: Apache-2.0

/// The DUT's boot-mode pins: several digital outputs and a named pattern of levels for each mode
/// (`serial_downloader: [0, 1]`, `internal: [1, 0]`). The mode takes effect at the next power-on
/// or reset.
public struct BootModeSelector: BootModeControl {
  public let lines: [any DigitalOutput]
  /// Levels per mode name, one per line in `lines` order; true = active.
  public let patterns: [String: [Bool]]

  /// A selector; every pattern must give one level per line.
  public init(lines: [any DigitalOutput], patterns: [String: [Bool]]) throws {
    guard !lines.isEmpty else {
      throw RigError(.configInvalid, "boot-mode selector: no lines to drive")
    }
    for (name, levels) in patterns.sorted(by: { $0.key < $1.key }) where levels.count != lines.count
    {
      throw RigError(
        .configInvalid,
        "boot mode '\(name)' gives \(levels.count) levels for \(lines.count) lines "
          + "(\(lines.map(\.name).joined(separator: ", ")))")
    }
    self.lines = lines
    self.patterns = patterns
  }

  /// The mode names this selector knows, sorted.
  public var modes: [String] { patterns.keys.sorted() }

  /// Drives every line to the levels of `mode`.
  public func select(_ mode: BootMode) async throws {
    try await select(named: mode.rawValue)
  }

  /// Drives every line to the levels of the pattern named `name`, in line order.
  public func select(named name: String) async throws {
    guard let levels = patterns[name] else {
      throw RigError(
        .configInvalid,
        "boot mode '\(name)' is not configured (configured: \(modes.joined(separator: ", ")))")
    }
    for (line, level) in zip(lines, levels) {
      do {
        try await line.set(level)
      } catch {
        throw RigError.during("cannot select boot mode \(name): \(line.name)", error)
      }
    }
  }

  /// Gives every line back.
  public func release() async {
    for line in lines { await line.release() }
  }
}
