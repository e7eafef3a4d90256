// SPDX-License-Identifier: Apache-2.0
import RigCore

/// Turns console items into one readable line each (`rig console`): records decoded, frame
/// latencies in milliseconds once the DUT has said its clock, log lines indented.
public struct TelemetryLineFormat: Sendable {
  /// The DUT's clock from its last identity, to turn cycles into milliseconds.
  public var cpuHz: Int?

  public init(cpuHz: Int? = nil) {
    self.cpuHz = cpuHz
  }

  /// The line for one console item; nil for an empty log line.
  public mutating func line(for item: ConsoleItem) -> String? {
    switch item {
    case .log(let text, _):
      return text.isEmpty ? nil : "  \(text)"
    case .damaged(let text, let reason, _):
      return "[damaged record: \(reason)] \(text)"
    case .record(let message, _):
      return record(message)
    }
  }

  /// The line for one telemetry record; a boot or hello record sets the clock used after it.
  public mutating func record(_ message: TelemetryMessage) -> String {
    switch message.record {
    case .boot(let identity):
      cpuHz = identity.cpuHz
      return "[boot] " + Self.identity(identity)
    case .hello(let identity):
      cpuHz = identity.cpuHz
      return "[hello nonce \(Self.hex(message.nonce))] " + Self.identity(identity)
    case .frame(let f):
      var text = "[frame \(f.sequence)] count \(f.count), in \(f.inCount) out \(f.outCount), "
      if let cpuHz, cpuHz > 0 {
        let ms = { (cycles: UInt64) in
          MetricFormat.number((Double(cycles) / Double(cpuHz) * 1e5).rounded() / 100)
        }
        text +=
          "\(ms(f.cycles.total)) ms (capture \(ms(UInt64(f.cycles.capture))), "
          + "invoke \(ms(UInt64(f.cycles.invoke))))"
      } else {
        text += "\(f.cycles.total) cycles"
      }
      text += ", stack \(f.stackHighWater) B, frame crc \(Self.hex(f.frameCRC)) len \(f.length)"
      return f.status == "ok" ? text : text + ", status \(f.status)"
    case .summary(let s):
      return "[summary] \(s.frames) frames, \(s.errors) errors, max \(s.maxCycles) cycles, "
        + "stack \(s.stackHighWater) B"
    case .ack(let command):
      return "[ack] \(command)"
    case .error(let code, let detail):
      return "[error] \(code)" + (detail.isEmpty ? "" : ": \(detail)")
    case .fault(let kind, let detail):
      return "[fault] \(kind)" + (detail.isEmpty ? "" : ": \(detail)")
    }
  }

  /// A board's identity in one line.
  public static func identity(_ i: Identity) -> String {
    var text =
      "firmware \(i.firmwareVersion), image \(i.imageHash), model crc \(hex(i.modelCRC)), "
    text += "arena \(i.arenaUsed)/\(i.arenaSize) B, static \(i.staticRAM) B, "
    text += "\(MetricFormat.number(Double(i.cpuHz) / 1e6)) MHz, reset \(i.resetCause)"
    if !i.buildFlags.isEmpty { text += ", flags \(i.buildFlags.joined(separator: ","))" }
    return text
  }

  /// Eight lowercase hex digits.
  public static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
  }
}
