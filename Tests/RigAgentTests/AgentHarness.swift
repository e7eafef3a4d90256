// SPDX-License-Identifier: Apache-2.0
import RigAgent
import RigCore

/// One C agent whose write function collects the bytes it emits, with Swift-typed entry points.
final class AgentHarness {
  /// What the agent wrote, in order.
  final class Output {
    var bytes: [UInt8] = []
  }

  var agent = rig_agent_t()
  let output = Output()

  init() {
    rig_agent_init(
      &agent,
      { context, bytes, count in
        guard let context, let bytes else { return }
        let output = Unmanaged<Output>.fromOpaque(context).takeUnretainedValue()
        output.bytes += UnsafeBufferPointer(start: bytes, count: count)
      },
      Unmanaged.passUnretained(output).toOpaque())
  }

  /// Returns what the agent wrote since the last call.
  func take() -> [UInt8] {
    defer { output.bytes.removeAll() }
    return output.bytes
  }

  func boot(_ identity: Identity) {
    withIdentity(identity) { rig_agent_boot(&agent, $0) }
  }

  func hello(_ identity: Identity) {
    withIdentity(identity) { rig_agent_hello(&agent, $0) }
  }

  func frame(_ report: FrameReport) {
    report.status.withCString { status in
      var frame = rig_frame_t(
        sequence: report.sequence, frame_crc32: report.frameCRC,
        length: UInt32(clamping: report.length), count: UInt32(clamping: report.count),
        in_count: UInt32(clamping: report.inCount), out_count: UInt32(clamping: report.outCount),
        cycles_capture: report.cycles.capture, cycles_preprocess: report.cycles.preprocess,
        cycles_invoke: report.cycles.invoke, cycles_postprocess: report.cycles.postprocess,
        stack_hwm: UInt32(clamping: report.stackHighWater),
        heap_hwm: UInt32(clamping: report.heapHighWater), status: status)
      rig_agent_frame(&agent, &frame)
    }
  }

  func summary(_ summary: Summary) {
    var sum = rig_summary_t(
      frames: UInt32(clamping: summary.frames), errors: UInt32(clamping: summary.errors),
      max_cycles: summary.maxCycles, stack_hwm: UInt32(clamping: summary.stackHighWater))
    rig_agent_summary(&agent, &sum)
  }

  /// Emits the record the way firmware would: boot and hello take the identity, the others
  /// their values; the nonce is whatever the agent holds.
  func emit(_ record: TelemetryRecord) {
    switch record {
    case .boot(let identity): boot(identity)
    case .hello(let identity): hello(identity)
    case .frame(let report): frame(report)
    case .summary(let value): summary(value)
    case .ack(let command): rig_agent_ack(&agent, command)
    case .error(let code, let detail): rig_agent_error(&agent, code, detail)
    case .fault(let kind, let detail): rig_agent_fault(&agent, kind, detail)
    }
  }

  /// Feeds bytes one at a time and returns every command the agent accepted.
  func feed(_ bytes: [UInt8]) -> [TelemetryCommand] {
    var accepted: [TelemetryCommand] = []
    var command = rig_command_t()
    for byte in bytes where rig_agent_feed(&agent, byte, &command) == 1 {
      accepted.append(Self.swiftCommand(command))
    }
    return accepted
  }

  var nonce: UInt32 { agent.nonce }
  var rejected: UInt32 { agent.commands_rejected }

  static func swiftCommand(_ command: rig_command_t) -> TelemetryCommand {
    let test = withUnsafeBytes(of: command.test) { raw in
      String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
    switch command.kind {
    case RIG_COMMAND_HELLO: return .hello(nonce: command.nonce)
    case RIG_COMMAND_START: return .start(nonce: command.nonce, test: test)
    case RIG_COMMAND_STOP: return .stop(nonce: command.nonce)
    default: return .stats(nonce: command.nonce)
    }
  }

  private func withIdentity(_ identity: Identity, _ body: (UnsafePointer<rig_identity_t>) -> Void) {
    identity.firmwareVersion.withCString { version in
      identity.imageHash.withCString { hash in
        identity.buildFlags.joined(separator: ",").withCString { flags in
          identity.resetCause.withCString { cause in
            var value = rig_identity_t(
              firmware_version: version, image_hash: hash, model_crc32: identity.modelCRC,
              arena_size: UInt32(clamping: identity.arenaSize),
              arena_used: UInt32(clamping: identity.arenaUsed),
              static_ram: UInt32(clamping: identity.staticRAM),
              cpu_hz: UInt32(clamping: identity.cpuHz), build_flags: flags, reset_cause: cause)
            body(&value)
          }
        }
      }
    }
  }
}
