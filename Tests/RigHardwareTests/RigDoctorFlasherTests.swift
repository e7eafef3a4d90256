// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import Testing

@testable import RigHardware

/// `rig doctor`'s checks of a rig's flasher: its programs, its flashloader, its PROGRAM pin.
@Suite("rig doctor's flasher checks")
struct RigDoctorFlasherTests {
  typealias H = HardwareSettings

  static func rig(_ flasher: H.Flasher) -> RigConfiguration {
    var rig = RigDoctorTests.rig()
    rig.hardware?.flasher = flasher
    return rig
  }

  @Test("a preset's programs missing from PATH are problems naming each and how to install it")
  func missingPrograms() {
    var machine = RigDoctorTests.ready
    machine.programs["sdphost"] = "/usr/local/bin/sdphost"
    let loader = URL(fileURLWithPath: "/nonexistent/ivt_flashloader.bin")
    let checks = RigDoctor(environment: machine).check(
      Self.rig(H.Flasher(method: .external(.blhost(flashloader: loader)))))
    let flasher = checks.map(\.description).filter { $0.contains("flasher program") }
    #expect(
      flasher == [
        "ok    blhost flasher program sdphost: /usr/local/bin/sdphost",
        "FAIL  blhost flasher program blhost: 'blhost' is not on PATH (fix: install NXP's SPSDK, "
          + "which provides sdphost and blhost: `pip install spsdk`)",
      ])
    let loaderCheck = checks.first { $0.subject.hasPrefix("flashloader ") }
    #expect(loaderCheck?.status == .problem)
    #expect(loaderCheck?.detail == "flashloader /nonexistent/ivt_flashloader.bin not found")
    #expect(loaderCheck?.fix?.contains("FLASHLOADER-RT106x") == true)
    #expect(RigDoctor.exitStatus(checks) == .hardwareUnavailable)
  }

  @Test("a readable flashloader with its IVT is ok; the PROGRAM pin is checked like other lines")
  func flashloaderAndPin() throws {
    let file = FileManager.default.temporaryDirectory
      .appendingPathComponent("rig-doctor-\(UUID().uuidString).bin")
    defer { try? FileManager.default.removeItem(at: file) }
    var bytes = [UInt8](repeating: 0, count: 0x800)
    bytes.replaceSubrange(
      0x400..<0x420,
      with: ImageVectorTable(entry: 0x2000_0501, bootData: 0, selfAddress: 0x2000_0400).bytes)
    try Data(bytes).write(to: file)
    var machine = RigDoctorTests.ready
    machine.lines["GPIO23"] = DoctorFakeMachine.line("GPIO23", offset: 23, consumer: "gpio-keys")
    let native = RigDoctor(environment: machine).check(
      Self.rig(H.Flasher(method: .native(NativeFlasherSettings(flashloader: file)))))
    #expect(
      native.contains {
        $0.description
          == "ok    flashloader \(file.displayPath): 2048 bytes, image vector table at 0x20000400"
      })
    #expect(RigDoctor.exitStatus(native) == .allPassed)

    let teensy = RigDoctor(environment: machine).check(
      Self.rig(
        H.Flasher(
          method: .external(.teensy()),
          programPin: .gpio(H.GPIOLine(line: "GPIO23")))))
    let pin = teensy.first { $0.subject == "flasher PROGRAM pin GPIO GPIO23" }
    #expect(pin?.status == .problem)
    #expect(pin?.detail.contains("held by gpio-keys") == true)
    #expect(
      teensy.contains {
        $0.description.hasPrefix("FAIL  teensy flasher program teensy_loader_cli: ")
      })
  }
}
