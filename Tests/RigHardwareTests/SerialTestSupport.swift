// SPDX-License-Identifier: Apache-2.0
import Foundation
import Logging
import RigCore
import RigSystem
import RigSimulator

#if canImport(Glibc)
  import Glibc
#endif

/// Log messages kept in memory, so tests can check what was logged.
final class CapturedLog: Sendable {
  private let entries = Locked<[String]>([])

  var messages: [String] { entries.withLock { $0 } }

  /// A logger writing here, at every level.
  var logger: Logger {
    var logger = Logger(label: "rig.test") { _ in Handler(log: self) }
    logger.logLevel = .trace
    return logger
  }

  fileprivate func add(_ message: String) { entries.withLock { $0.append(message) } }

  private struct Handler: LogHandler {
    let log: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
      log.add("\(event.level): \(event.message)")
    }
  }
}

/// A pseudo-terminal whose controller side the test plays as the device.
final class DevicePTY: Sendable {
  let terminal: PseudoTerminal
  var path: String { terminal.devicePath }

  init() throws { terminal = try PseudoTerminal() }

  func send(_ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { Glibc.write(terminal.controller, $0.baseAddress, $0.count) }
  }

  /// What the host wrote, waiting up to `seconds` for `count` bytes.
  func receive(count: Int, within seconds: Double = 2) -> String {
    var out: [UInt8] = []
    let end = Date().addingTimeInterval(seconds)
    var buffer = [UInt8](repeating: 0, count: 4096)
    while out.count < count && Date() < end {
      var p = pollfd(fd: terminal.controller, events: Int16(POLLIN), revents: 0)
      if poll(&p, 1, 20) > 0 {
        let n = buffer.withUnsafeMutableBytes {
          Glibc.read(terminal.controller, $0.baseAddress, $0.count)
        }
        if n > 0 { out += buffer[0..<n] }
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  func close() { terminal.close() }
}

/// A scratch folder for symlinks that stand in for `/dev/serial/by-id` names.
final class ScratchFolder {
  let url: URL
  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rig-serial-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(at: url) }

  /// Points `name` at `target`, replacing what was there atomically (as udev does).
  @discardableResult
  func link(_ name: String, to target: String) throws -> String {
    let path = url.appendingPathComponent(name).path
    let temporary = path + ".new"
    unlink(temporary)
    guard symlink(target, temporary) == 0, rename(temporary, path) == 0 else {
      throw RigError(
        .internal, "cannot link \(path) to \(target)", cause: SystemError.last("symlink", path))
    }
    return path
  }

  func remove(_ name: String) { unlink(url.appendingPathComponent(name).path) }
}

/// Reads from `link` until `text` has arrived or the time is up; returns what arrived.
func readText(_ link: any SerialLink, until text: String, within: Duration = .seconds(3))
  async throws -> String
{
  var received = ""
  let deadline = ContinuousClock.now + within
  while !received.contains(text), let chunk = try await link.read(until: deadline) {
    received += String(decoding: chunk.bytes, as: UTF8.self)
  }
  return received
}
