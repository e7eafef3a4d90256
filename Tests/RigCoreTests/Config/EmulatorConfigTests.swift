// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

/// The configuration the camera emulator path adds: `emulator_faults:` in suites and
/// `simulated.camera` in rig files.
@Suite struct EmulatorConfigTests {
  @Test("a test's emulator faults are read with their frame, mode and parameter")
  func readsFaults() throws {
    let dir = try TemporaryDirectory()
    try dir.writeClip("clips/c", frames: 20)
    let suite = try SuiteLoader.load(
      try dir.write(
        "suites/s.yaml",
        """
        suite: faults
        tests:
          - name: t
            clip: ../clips/c
            emulator_faults:
              - { kind: len_zero, frame: 12 }
              - { kind: corrupt_byte, frame: 3, mode: always, parameter: 100 }
              - { kind: testreg_fail }
        """))
    #expect(
      suite.tests[0].emulatorFaults == [
        EmulatorFaultInjection(kind: .lengthZero, frame: 12),
        EmulatorFaultInjection(kind: .corruptByte, frame: 3, mode: .always, parameter: 100),
        EmulatorFaultInjection(kind: .testRegisterFail),
      ])
  }

  @Test("wrong emulator faults are reported at their place")
  func wrongFaults() throws {
    let dir = try TemporaryDirectory()
    try dir.writeClip("clips/c", frames: 20)
    let file = try dir.write(
      "suites/s.yaml",
      """
      suite: faults
      tests:
        - name: t
          clip: ../clips/c
          emulator_faults:
            - { kind: len_nul, frame: 1 }
            - { kind: i2c_nack, frame: 2 }
            - { kind: truncate, frame: 20 }
            - { kind: len_wrong, mode: sometimes }
      """)
    let found = issues { () throws(ConfigError) in try SuiteLoader.load(file) }
    #expect(
      brief(found) == [
        "6:17: tests[0].emulator_faults[0].kind: 'len_nul' is not an emulator fault kind",
        "7:34: tests[0].emulator_faults[1].frame: i2c_nack is not about a frame: it hits the camera "
          + "check the firmware makes at the test's start",
        "8:9: tests[0].emulator_faults[2].frame: frame 20 is past the end of clip 'corridor-day' (20 frames)",
        "9:34: tests[0].emulator_faults[3].mode: 'sometimes' is not once or always",
      ])
  }

  @Test("a simulated rig names its camera format and RAM")
  func simulatedCamera() throws {
    let dir = try TemporaryDirectory()
    let rig = try RigLoader.load(
      try dir.write(
        "Rigs/sim.yaml",
        "rig: sim\nboard: virtual-rt1062\nsimulated: { camera: { format: rgb565be, ram_kib: 480 } }\n"))
    #expect(rig.cameraFormat == .rgb565be)
    #expect(rig.simulation?.camera.ramBytes == 480 * 1024)
    let plain = try RigLoader.load(try dir.write("Rigs/plain.yaml", "rig: p\nboard: b\nsimulated: {}\n"))
    #expect(plain.cameraFormat == nil && plain.simulation?.camera.ramBytes == 256 * 1024)
  }

  @Test("frame accounting from an event log without the emulator counters still loads")
  func olderAccounting() throws {
    let json = #"{"sent":3,"matched":2,"missing":1,"duplicated":0,"unknown":0,"deviceErrors":0,"badChecksum":0,"staleNonce":0,"logLines":4}"#
    let a = try JSONDecoder().decode(FrameAccounting.self, from: Data(json.utf8))
    #expect(a.sent == 3 && a.missing == 1 && a.logLines == 4 && a.damaged == 0 && a.served == 0)
    var b = FrameAccounting()
    b.damaged = 2
    b.badLength = 1
    let again = try JSONDecoder().decode(FrameAccounting.self, from: JSONEncoder().encode(b))
    #expect(again == b)
  }
}
