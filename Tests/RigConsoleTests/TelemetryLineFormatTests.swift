// SPDX-License-Identifier: Apache-2.0
import RigConsole
import RigCore
import Testing

@Suite("rig console: telemetry as readable lines")
struct TelemetryLineFormatTests {
  static let identity = Identity(
    firmwareVersion: "1.4.0", imageHash: "ab12", modelCRC: 0xBEEF, arenaSize: 65536, arenaUsed: 40000,
    staticRAM: 12000, cpuHz: 600_000_000, buildFlags: ["O2", "cmsis"], resetCause: "power_on")

  static func frame(status: String = "ok") -> TelemetryRecord {
    .frame(FrameReport(
      sequence: 7, frameCRC: 0x1234, length: 9216, count: 2, inCount: 1, outCount: 0,
      cycles: StageCycles(capture: 600_000, preprocess: 0, invoke: 1_200_000, postprocess: 0),
      stackHighWater: 4096, heapHighWater: 0, status: status))
  }

  @Test("a frame before any identity shows cycles; after a boot record, milliseconds at its clock")
  func frameLatency() {
    var format = TelemetryLineFormat()
    #expect(format.record(TelemetryMessage(nonce: 1, record: Self.frame())) ==
      "[frame 7] count 2, in 1 out 0, 1800000 cycles, stack 4096 B, frame crc 00001234 len 9216")
    let boot = format.record(TelemetryMessage(nonce: 0, record: .boot(Self.identity)))
    #expect(boot == "[boot] firmware 1.4.0, image ab12, model crc 0000beef, arena 40000/65536 B, "
      + "static 12000 B, 600 MHz, reset power_on, flags O2,cmsis")
    #expect(format.cpuHz == 600_000_000)
    #expect(format.record(TelemetryMessage(nonce: 1, record: Self.frame(status: "decode_fail"))) ==
      "[frame 7] count 2, in 1 out 0, 3 ms (capture 1, invoke 2), stack 4096 B, "
      + "frame crc 00001234 len 9216, status decode_fail")
  }

  @Test("hello carries its nonce; acks, errors, faults and summaries in one line each")
  func otherRecords() {
    var format = TelemetryLineFormat()
    #expect(format.record(TelemetryMessage(nonce: 0xAB, record: .hello(Self.identity))).hasPrefix("[hello nonce 000000ab] firmware 1.4.0"))
    #expect(format.record(TelemetryMessage(nonce: 1, record: .ack(command: "start"))) == "[ack] start")
    #expect(format.record(TelemetryMessage(nonce: 1, record: .error(code: "camera_timeout", detail: ""))) == "[error] camera_timeout")
    #expect(format.record(TelemetryMessage(nonce: 1, record: .fault(kind: "hardfault", detail: "pc 0x10"))) == "[fault] hardfault: pc 0x10")
    #expect(format.record(TelemetryMessage(nonce: 1, record: .summary(Summary(frames: 3, errors: 1, maxCycles: 99, stackHighWater: 512)))) ==
      "[summary] 3 frames, 1 errors, max 99 cycles, stack 512 B")
  }

  @Test("log lines are indented, empty ones dropped; damaged records name the damage")
  func lines() {
    var format = TelemetryLineFormat()
    #expect(format.line(for: .log("booting", arrival: .now)) == "  booting")
    #expect(format.line(for: .log("", arrival: .now)) == nil)
    let damaged = format.line(for: .damaged("~T1 frame", reason: .badChecksum, arrival: .now))
    #expect(damaged?.hasPrefix("[damaged record: ") == true && damaged?.hasSuffix("] ~T1 frame") == true)
  }
}
