// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

/// The `flasher:` section of hardware rig files: every form, and every mistake reported at its
/// line and column with its YAML path and a hint.
@Suite struct RigLoaderFlasherTests {
  typealias H = HardwareSettings

  static let bootModeLine =
    "boot_mode: { gpio: { lines: [GPIO5, GPIO6] }, serial_downloader: [0, 1], internal: [1, 0] }"

  /// A hardware rig whose line 6 is `flasher`; without boot-mode pins line 5 is a reset line.
  static func rigText(_ flasher: String, bootMode: Bool = true) -> String {
    """
    rig: bench-01
    board: mimxrt1060-evk
    power: { gpio: { line: GPIO17 } }
    console: { port: /dev/ttyACM0, baud: 230400 }
    \(bootMode ? bootModeLine : "reset: { gpio: { line: GPIO27 } }")
    \(flasher)
    """
  }

  /// NXP's layout: the IVT at offset 0x400, describing itself at 0x2000_0400.
  static func flashloaderBytes(selfAddress: UInt32 = 0x2000_0400) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: 0x1000)
    let ivt = ImageVectorTable(entry: 0x2000_0501, bootData: 0x2000_0420, selfAddress: selfAddress)
    bytes.replaceSubrange(0x400..<0x420, with: ivt.bytes)
    return bytes
  }

  let dir: TemporaryDirectory

  init() throws {
    dir = try TemporaryDirectory()
    try dir.write("vendor/ivt_flashloader.bin", bytes: Self.flashloaderBytes())
  }

  private func load(_ flasher: String, bootMode: Bool = true) throws -> H.Flasher? {
    let file = try dir.write("bench.yaml", Self.rigText(flasher, bootMode: bootMode))
    return try RigLoader.load(file).hardware?.flasher
  }

  private func problems(_ flasher: String, bootMode: Bool = true) throws -> [ConfigIssue] {
    let file = try dir.write("bench.yaml", Self.rigText(flasher, bootMode: bootMode))
    return issues { () throws(ConfigError) in try RigLoader.load(file) }
  }

  private var loaderURL: URL { dir.url.appendingPathComponent("vendor/ivt_flashloader.bin") }

  // MARK: Forms

  @Test("native: the flashloader relative to the rig file, NXP's addresses, the console's baud")
  func native() throws {
    let flasher = try #require(
      try load("flasher: { native: { flashloader: vendor/ivt_flashloader.bin } }"))
    guard case .native(let settings) = flasher.method else {
      Issue.record("expected the native flasher, got \(flasher.method)")
      return
    }
    #expect(settings.flashloader?.standardizedFileURL == loaderURL.standardizedFileURL)
    #expect(settings.loadAddress == 0x2000_0000 && settings.jumpAddress == 0x2000_0400)
    #expect(settings.optionWords == [0xC000_0007])
    #expect(settings.baud == 230_400)
    #expect(settings.verify && settings.retries == 3)
    #expect(flasher.programPin == nil && flasher.kind == "native" && flasher.programs.isEmpty)
  }

  @Test("native: addresses, option words, verify and retries can be set")
  func nativeOptions() throws {
    try dir.write("fl.bin", bytes: Self.flashloaderBytes(selfAddress: 0x2000_2000))
    let flasher = try #require(
      try load(
        """
        flasher:
          native: { flashloader: fl.bin, load_address: 0x20001C00, jump_address: "0x2000_2000",
                    option_words: [0xC0000007, 0x40000000], verify: false, retries: 0 }
        """))
    guard case .native(let s) = flasher.method else {
      Issue.record("expected the native flasher")
      return
    }
    #expect(s.loadAddress == 0x2000_1C00 && s.jumpAddress == 0x2000_2000)
    #expect(s.optionWords == [0xC000_0007, 0x4000_0000])
    #expect(!s.verify && s.retries == 0)
  }

  @Test("each preset gives its tool's steps, with the probe, device and timeout asked for")
  func presets() throws {
    let pyocd = try load(
      "flasher: { preset: pyocd, probe: \"0229000041114e4500391015\", timeout: 90s }")
    var expected = ExternalFlasherSettings.pyocd(probe: "0229000041114e4500391015")
    expected.timeout = .seconds(90)
    #expect(pyocd == H.Flasher(method: .external(expected)))
    #expect(pyocd?.programs == ["pyocd"])

    let jlink = try load(
      "flasher: { preset: jlink, device: MIMXRT1062xxx6B, loader: HyperFlash, probe: 600112345 }"
    )
    #expect(
      jlink
        == H.Flasher(
          method: .external(
            .jlink(device: "MIMXRT1062xxx6B", loader: "HyperFlash", probe: "600112345"))))
    guard case .external(let j) = jlink?.method else { return }
    #expect(j.steps[0].contains("MIMXRT1062xxx6B?BankAddr=0x60000000&Loader=HyperFlash"))
    #expect(j.steps[0].contains("-USB") && j.steps[0].contains("600112345"))

    let blhost = try #require(
      try load("flasher: { preset: blhost, flashloader: vendor/ivt_flashloader.bin }"))
    guard case .external(let b) = blhost.method else { return }
    #expect(b.usesBootMode && b.preset == "blhost")
    #expect(b.flashloader?.standardizedFileURL == loaderURL.standardizedFileURL)
    #expect(blhost.programs == ["sdphost", "blhost"])
  }

  @Test("teensy: the PROGRAM pin is an output line like the other roles', pulsed as asked")
  func teensy() throws {
    let flasher = try #require(
      try load(
        "flasher: { preset: teensy, mcu: TEENSY40, program_pin: { gpio: { line: GPIO23, "
          + "active_low: true, drive: open-drain } }, pulse: 150ms }"))
    let line = H.OutputLine.gpio(H.GPIOLine(line: "GPIO23", activeLow: true, drive: .openDrain))
    #expect(flasher.programPin == line)
    guard case .external(let s) = flasher.method else { return }
    #expect(s.steps == [["teensy_loader_cli", "--mcu=TEENSY40", "-w", "-v", "{hex}"]])
    #expect(s.pulse == .milliseconds(150))
    #expect(s.programPin == "\(line)")

    let ftdi = try #require(
      try load(
        "flasher: { preset: teensy, program_pin: { ftdi: { device: \"0403:6014:FT1\", pin: 3 } } }")
    )
    #expect(ftdi.programPin == .ftdi(H.FTDIPin(device: "0403:6014:FT1", pin: 3)))
  }

  @Test("teensy without a PROGRAM pin asks the running firmware to reboot into HalfKay (-s)")
  func teensySoftReboot() throws {
    let flasher = try #require(try load("flasher: { preset: teensy }"))
    guard case .external(let s) = flasher.method else { return }
    #expect(s.steps == [["teensy_loader_cli", "--mcu=TEENSY41", "-w", "-s", "-v", "{hex}"]])
    #expect(s.programPin == nil && flasher.programPin == nil)
  }

  @Test("command: one argv or a list of steps, with the timeout, boot mode and flashloader")
  func command() throws {
    let one = try load(#"flasher: { command: [my-flash-tool, --image, "{hex}"], timeout: 30s }"#)
    #expect(
      one
        == H.Flasher(
          method: .external(
            ExternalFlasherSettings(
              steps: [["my-flash-tool", "--image", "{hex}"]], timeout: .seconds(30)))))

    let steps = try #require(
      try load(
        """
        flasher:
          command:
            - [sdphost, -u, "0x1fc9,0x0135", --, write-file, "0x20000000", "{flashloader}"]
            - [tool, "--at={address}", "--len={erase_length}", "{bin}", "{readback}"]
          flashloader: vendor/ivt_flashloader.bin
          boot_mode: serial_downloader
        """))
    guard case .external(let s) = steps.method else { return }
    #expect(s.steps.count == 2 && s.steps[1][1] == "--at={address}")
    #expect(s.usesBootMode && s.preset == nil && s.timeout == .seconds(120))
    #expect(steps.kind == "command" && steps.programs == ["sdphost", "tool"])
  }

  // MARK: Mistakes

  @Test("native without boot_mode: says the ROM path needs it, at the native: key")
  func nativeNeedsBootMode() throws {
    let found = try problems(
      "flasher: { native: { flashloader: vendor/ivt_flashloader.bin } }", bootMode: false)
    #expect(
      brief(found) == ["6:12: flasher.native: the native flasher needs boot_mode: in the rig"])
    #expect(found.first?.hint?.contains("boot_mode: { gpio: { lines: [GPIO5, GPIO6] }") == true)
    #expect(found.first?.hint?.contains("preset: pyocd") == true)
  }

  @Test("a native flasher without a flashloader says rig cannot ship NXP's and where to get it")
  func nativeWithoutFlashloader() throws {
    let found = try problems("flasher: { native: { verify: true } }")
    #expect(
      brief(found) == ["6:20: flasher.native.flashloader: missing required key 'flashloader'"])
    let hint = try #require(found.first?.hint)
    #expect(hint.contains("rig does not ship NXP's ivt_flashloader.bin"))
    #expect(hint.contains("does not allow redistributing"))
    #expect(hint.contains("FLASHLOADER-RT106x"))
    #expect(hint.contains("MCUXpresso SDK") && hint.contains("SPSDK"))
  }

  @Test("a flashloader file that is missing is named with the path it resolved to")
  func flashloaderMissing() throws {
    let found = try problems("flasher: { preset: blhost, flashloader: vendor/missing.bin }")
    let resolved = dir.url.appendingPathComponent("vendor/missing.bin").path
    #expect(found.count == 1)
    #expect(
      brief(found).first?.hasPrefix("6:41: flasher.flashloader: flashloader ") == true)
    // The message names the file as the user sees it, and the absolute path it resolved to.
    #expect(found.first?.message.contains(resolved) == true)
    #expect(found.first?.message.contains("missing.bin not found") == true)
    #expect(found.first?.hint?.contains("FLASHLOADER-RT106x") == true)
  }

  @Test("a file without an image vector table where the ROM jumps is not a flashloader")
  func flashloaderWithoutIVT() throws {
    try dir.write("vendor/app.bin", bytes: [UInt8](repeating: 0xFF, count: 8192))
    let found = try problems("flasher: { native: { flashloader: vendor/app.bin } }")
    #expect(found.count == 1)
    #expect(found.first?.location.line == 6 && found.first?.location.column == 35)
    #expect(
      found.first?.message.contains(
        "is not a flashloader image: no image vector table for 0x20000400 at offset 0x00000400")
        == true)
  }

  @Test("an unknown placeholder is refused with the list of valid ones")
  func unknownPlaceholder() throws {
    let found = try problems(#"flasher: { command: [[tool, "{hexfile}", "--to={adress}"]] }"#)
    #expect(
      brief(found) == [
        "6:29: flasher.command[0][1]: unknown placeholder {hexfile}",
        "6:42: flasher.command[0][2]: unknown placeholder {adress}",
      ])
    #expect(
      found.first?.hint
        == "placeholders: {hex}, {bin}, {image}, {address}, {length}, {erase_length}, "
        + "{readback}, {jlink_script}, {flashloader}")
  }

  @Test("{flashloader} in a command needs the flashloader: key")
  func flashloaderPlaceholderNeedsFile() throws {
    let found = try problems(#"flasher: { command: [tool, "{flashloader}"] }"#)
    #expect(brief(found) == ["6:28: flasher.command[1]: {flashloader} needs flasher.flashloader"])
    #expect(found.first?.hint?.hasPrefix("add flashloader: vendor/ivt_flashloader.bin") == true)
  }

  @Test("two forms at once, or none, are refused naming the forms")
  func forms() throws {
    let both = try problems(
      "flasher: { native: { flashloader: vendor/ivt_flashloader.bin }, preset: pyocd }")
    #expect(
      brief(both).contains("6:65: flasher.preset: flasher has both native: and preset:"))
    #expect(both.first?.hint == "give only one of native:, preset:, command:")

    let none = try problems("flasher: { timeout: 10s }")
    #expect(
      brief(none) == [
        "6:10: flasher: missing how the board is flashed: native: (the ROM over the console), "
          + "preset: (pyocd, jlink, teensy or blhost) or command: (your own program)"
      ])
  }

  @Test("a key another form takes is refused with the keys this form takes")
  func keyForAnotherForm() throws {
    let teensy = try problems("flasher: { preset: teensy, probe: \"123\" }")
    #expect(brief(teensy) == ["6:28: flasher.probe: probe does not apply to the teensy flasher"])
    #expect(teensy.first?.hint == "keys for teensy: timeout, mcu, program_pin, pulse")

    let native = try problems(
      "flasher: { native: { flashloader: vendor/ivt_flashloader.bin }, timeout: 10s }")
    #expect(
      brief(native) == ["6:65: flasher.timeout: timeout does not apply to the native flasher"])
    #expect(
      native.first?.hint?.hasPrefix("the native flasher's settings go inside native:") == true)
  }

  @Test("a misspelt preset or key gets a did-you-mean hint")
  func misspelt() throws {
    let preset = try problems("flasher: { preset: pyocdd }")
    #expect(brief(preset) == ["6:20: flasher.preset: 'pyocdd' is not a flasher preset"])
    #expect(preset.first?.hint == "did you mean 'pyocd'?")

    let key = try problems("flasher: { preset: pyocd, prob: \"1\" }")
    #expect(brief(key) == ["6:27: flasher.prob: unknown key 'prob'"])
    #expect(key.first?.hint == "did you mean 'probe'?")
  }

  @Test("a command written as one string is refused: commands never run through a shell")
  func commandAsString() throws {
    let found = try problems(#"flasher: { command: "my-flash-tool --image x.hex" }"#)
    #expect(
      brief(found) == [
        #"6:21: flasher.command: expected a command as a list of words, "#
          + #"found "my-flash-tool --image x.hex""#
      ])
    #expect(found.first?.hint == "write [program, arg1, arg2]; commands never run through a shell")
  }

  @Test("PROGRAM pin mistakes: an offset without a chip, a pulse long enough to wipe a Teensy")
  func programPinMistakes() throws {
    let found = try problems(
      "flasher: { preset: teensy, program_pin: { gpio: { line: 23 } }, pulse: 15s }")
    #expect(
      brief(found) == [
        "6:57: flasher.program_pin.gpio.line: line 23 is an offset, which needs a chip",
        "6:72: flasher.pulse: 15s is out of range",
      ])
    #expect(found.last?.hint == "allowed: from 1ms to 5s")
    let pulseAlone = try problems("flasher: { command: [tool, \"{hex}\"], pulse: 100ms }")
    #expect(brief(pulseAlone) == ["6:38: flasher.pulse: pulse applies to a program_pin"])
    #expect(pulseAlone.first?.hint?.contains("program_pin: { gpio: { line: GPIO23 } }") == true)
  }

  @Test("the blhost preset needs boot_mode: and its flashloader")
  func blhostNeeds() throws {
    let found = try problems("flasher: { preset: blhost }", bootMode: false)
    #expect(
      brief(found) == [
        "6:10: flasher.flashloader: missing required key 'flashloader'",
        "6:12: flasher.preset: the blhost flasher needs boot_mode: in the rig",
      ])
    #expect(found.first?.hint?.contains("does not allow redistributing") == true)
  }
}
