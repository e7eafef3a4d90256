// SPDX-License-Identifier: Apache-2.0
import Foundation
import Yams

// The `flasher:` section of a hardware rig file (docs/configuration.md §4.4, docs/flashing.md):
// exactly one of `native:`, `preset:` or `command:`, and the keys that form takes.
extension RigLoader {
  static let flasherForms = ["native", "preset", "command"]
  static let flasherKeys =
    flasherForms + [
      "timeout", "probe", "device", "loader", "mcu", "program_pin", "pulse", "flashloader",
      "boot_mode",
    ]
  static let nativeKeys = [
    "flashloader", "load_address", "jump_address", "option_words", "verify", "retries",
  ]
  static let flasherPresets = ["pyocd", "jlink", "teensy", "blhost"]
  /// The keys beside `preset:` or `command:` that each external form takes.
  static let externalFlasherKeys: [String: [String]] = [
    "pyocd": ["timeout", "probe"],
    "jlink": ["timeout", "probe", "device", "loader"],
    "teensy": ["timeout", "mcu", "program_pin", "pulse"],
    "blhost": ["timeout", "flashloader"],
    "command": ["timeout", "program_pin", "pulse", "flashloader", "boot_mode"],
  ]
  static let teensyMCUs = ["TEENSY41", "TEENSY40", "TEENSY_MICROMOD", "imxrt1062"]
  static let programPinKeys = ["gpio", "ftdi"]

  /// The flasher of a hardware rig; `hasBootMode` says whether the rig wires `boot_mode:`, which
  /// the ROM paths need, and `consoleBaud` is the line rate the native flasher talks at.
  static func readFlasher(
    _ root: ConfigTable, _ r: ConfigReader, base: URL, hasBootMode: Bool, consoleBaud: Int?
  ) -> HardwareSettings.Flasher? {
    guard
      let t = r.table(
        root, "flasher", keys: flasherKeys,
        what: "a flasher such as { native: { flashloader: vendor/ivt_flashloader.bin } }, "
          + "{ preset: pyocd } or { command: [[my-flash-tool, \"{hex}\"]] }")
    else { return nil }
    let forms = oneOf(
      flasherForms, in: t, r,
      what: "how the board is flashed: native: (the ROM over the console), preset: (pyocd, "
        + "jlink, teensy or blhost) or command: (your own program)")
    guard forms.count == 1, let form = forms.first else { return nil }
    if form == "native" {
      refuse(t, except: ["native"], r) { key in
        (
          "\(key) does not apply to the native flasher",
          "the native flasher's settings go inside native: (\(nativeKeys.joined(separator: ", ")))"
        )
      }
      requireBootMode(t, "native", hasBootMode, r, who: "the native flasher")
      guard var settings = readNative(t, r, base: base) else { return nil }
      settings.baud = consoleBaud ?? settings.baud
      return HardwareSettings.Flasher(method: .native(settings))
    }
    var kind = "command"
    if form == "preset" {
      guard
        let preset = r.choice(
          t, "preset", what: "a flasher preset", among: flasherPresets.map(FlasherPreset.init))
      else { return nil }
      kind = preset.rawValue
    }
    let allowed = externalFlasherKeys[kind] ?? []
    refuse(t, except: [form] + allowed, r) { key in
      (
        "\(key) does not apply to the \(kind) flasher",
        allowed.isEmpty
          ? "remove it" : "keys for \(kind): \(allowed.joined(separator: ", "))"
      )
    }
    return readExternal(t, kind: kind, r, base: base, hasBootMode: hasBootMode)
  }

  /// A preset name, for `ConfigReader.choice`.
  private struct FlasherPreset: RawRepresentable {
    var rawValue: String
    init(rawValue: String) { self.rawValue = rawValue }
  }

  /// Reports every key of `t` outside `allowed`, with the message and hint `why` gives.
  private static func refuse(
    _ t: ConfigTable, except allowed: [String], _ r: ConfigReader,
    why: (String) -> (String, String)
  ) {
    for key in flasherKeys where t[key] != nil && !allowed.contains(key) {
      let (message, hint) = why(key)
      r.report(t.entries[key]?.key, t.path(key), message, hint: hint)
    }
  }

  private static func requireBootMode(
    _ t: ConfigTable, _ key: String, _ hasBootMode: Bool, _ r: ConfigReader, who: String
  ) {
    guard !hasBootMode else { return }
    r.report(
      t.entries[key]?.key, t.path(key), "\(who) needs boot_mode: in the rig",
      hint: "it selects the ROM's serial downloader for the flash and internal boot after; add "
        + "boot_mode: { gpio: { lines: [GPIO5, GPIO6] }, serial_downloader: [0, 1], "
        + "internal: [1, 0] }, or flash through a debug probe (preset: pyocd or jlink)")
  }

  // MARK: native

  private static func readNative(_ flasher: ConfigTable, _ r: ConfigReader, base: URL)
    -> NativeFlasherSettings?
  {
    guard
      let t = r.table(
        flasher, "native", keys: nativeKeys,
        what: "native flasher settings such as { flashloader: vendor/ivt_flashloader.bin }")
    else { return nil }
    var s = NativeFlasherSettings()
    var complete = true
    if let load = t["load_address"].flatMap({ word($0, at: t.path("load_address"), r) }) {
      s.loadAddress = load
    }
    if let jump = t["jump_address"].flatMap({ word($0, at: t.path("jump_address"), r) }) {
      s.jumpAddress = jump
    }
    if let node = t["option_words"],
      let items = r.list(node, at: t.path("option_words"), of: "32-bit words such as [0xC0000007]")
    {
      let words = items.enumerated().map { index, item in
        word(item, at: "\(t.path("option_words"))[\(index)]", r)
      }
      if items.isEmpty || items.count > 4 {
        r.report(
          node, t.path("option_words"), "expected 1 to 4 option words, found \(items.count)",
          hint: "0xC0000007 is QuadSPI NOR with SFDP, the EVK's IS25WP064")
      }
      if words.allSatisfy({ $0 != nil }) { s.optionWords = words.compactMap { $0 } }
    }
    s.verify = r.bool(t, "verify") ?? s.verify
    s.retries = r.int(t, "retries", in: 0...20) ?? s.retries
    guard let node = t["flashloader"] else {
      r.report(
        t.node, t.path("flashloader"), "missing required key 'flashloader'",
        hint: FlashloaderFile.whereToGetIt)
      return nil
    }
    s.flashloader = flashloader(
      node, at: t.path("flashloader"), base: base, load: s.loadAddress, jump: s.jumpAddress, r)
    if s.flashloader == nil { complete = false }
    return complete ? s : nil
  }

  /// The flashloader file, resolved against the rig file's folder and checked.
  private static func flashloader(
    _ node: Node, at path: String, base: URL, load: UInt32, jump: UInt32, _ r: ConfigReader
  ) -> URL? {
    guard let text = r.text(node, at: path, what: "a file such as vendor/ivt_flashloader.bin")
    else { return nil }
    let file = SuiteLoader.resolve(text, against: base)
    if case .failure(let failure) = FlashloaderFile.load(
      file, loadAddress: load, jumpAddress: jump, files: r.files)
    {
      r.report(
        node, path, failure.message
          + (file.displayPath == file.path ? "" : " (resolved to \(file.path))"),
        hint: failure.hint)
      return nil
    }
    return file
  }

  /// A 32-bit value written in hex (`0x20000400`) or decimal.
  private static func word(_ node: Node, at path: String, _ r: ConfigReader) -> UInt32? {
    guard let text = r.string(node, at: path, what: "an address such as 0x20000400") else {
      return nil
    }
    let plain = text.replacingOccurrences(of: "_", with: "").lowercased()
    let value = plain.hasPrefix("0x") ? UInt32(plain.dropFirst(2), radix: 16) : UInt32(plain)
    guard let value else {
      r.report(
        node, path, "expected a 32-bit value such as 0x20000400, found \(r.describe(node))",
        hint: "write it in hex with 0x, or in decimal")
      return nil
    }
    return value
  }

  // MARK: external

  private static func readExternal(
    _ t: ConfigTable, kind: String, _ r: ConfigReader, base: URL, hasBootMode: Bool
  ) -> HardwareSettings.Flasher? {
    let timeout =
      r.duration(t, "timeout", minimum: .seconds(1), maximum: .seconds(7200)) ?? .seconds(120)
    var programPin: HardwareSettings.OutputLine?
    if let node = t["program_pin"] {
      programPin = readProgramPin(node, at: t.path("program_pin"), r)
    }
    // PJRC: the PROGRAM pin held low for 13 s or more wipes the Teensy's flash.
    let pulse = r.duration(t, "pulse", minimum: .milliseconds(1), maximum: .seconds(5))
    if t["pulse"] != nil, t["program_pin"] == nil {
      r.report(
        t.entries["pulse"]?.key, t.path("pulse"), "pulse applies to a program_pin",
        hint: "add program_pin: { gpio: { line: GPIO23 } }, or remove pulse")
    }
    let loaderNode = t["flashloader"]
    let loader = loaderNode.flatMap {
      flashloader(
        $0, at: t.path("flashloader"), base: base,
        load: RT1062MemoryMap.flashloaderLoadAddress, jump: RT1062MemoryMap.flashloaderIVTAddress,
        r)
    }
    var settings: ExternalFlasherSettings
    switch kind {
    case "pyocd":
      settings = .pyocd(probe: r.text(t, "probe", what: "a probe's unique ID"))
    case "jlink":
      settings = .jlink(
        device: r.text(t, "device", what: "a J-Link device name such as MIMXRT1062xxx6A")
          ?? "MIMXRT1062xxx6A",
        loader: r.text(t, "loader", what: "a J-Link flash loader such as QSPI") ?? "QSPI",
        probe: r.text(t, "probe", what: "a J-Link serial number"))
    case "teensy":
      let mcu =
        r.choice(t, "mcu", what: "a Teensy model", among: teensyMCUs.map(FlasherPreset.init))?
        .rawValue ?? "TEENSY41"
      settings = .teensy(mcu: mcu)
      if t["program_pin"] == nil {
        // Without the pin, ask the running firmware to reboot into HalfKay over USB serial.
        settings.steps = settings.steps.map { step in
          step.flatMap { $0 == "-w" ? ["-w", "-s"] : [$0] }
        }
      }
    case "blhost":
      requireBootMode(t, "preset", hasBootMode, r, who: "the blhost flasher")
      if loaderNode == nil {
        r.report(
          t.node, t.path("flashloader"), "missing required key 'flashloader'",
          hint: FlashloaderFile.whereToGetIt)
      }
      settings = .blhost(flashloader: loader)
    default:
      let serialDownloader =
        r.choice(
          t, "boot_mode", what: "a boot mode",
          among: [FlasherPreset(rawValue: "internal"), FlasherPreset(rawValue: "serial_downloader")]
        )?.rawValue == "serial_downloader"
      if serialDownloader { requireBootMode(t, "boot_mode", hasBootMode, r, who: "boot_mode") }
      guard let node = t["command"],
        let steps = readSteps(node, at: t.path("command"), hasFlashloader: loaderNode != nil, r)
      else { return nil }
      settings = ExternalFlasherSettings(
        steps: steps, usesBootMode: serialDownloader, flashloader: loader)
    }
    settings.timeout = timeout
    settings.pulse = pulse ?? settings.pulse
    settings.programPin = programPin.map { "\($0)" }
    if kind == "blhost" && loader == nil { return nil }
    if t["program_pin"] != nil && programPin == nil { return nil }
    return HardwareSettings.Flasher(method: .external(settings), programPin: programPin)
  }

  /// `{ gpio: { line: GPIO23 } }` or `{ ftdi: { device: …, pin: … } }`: an output like the
  /// other roles'; active pulls the PROGRAM pin low when wired through a transistor, or write
  /// `active_low: true` to drive it directly.
  private static func readProgramPin(_ node: Node, at path: String, _ r: ConfigReader)
    -> HardwareSettings.OutputLine?
  {
    guard
      let t = r.table(
        node, at: path, keys: programPinKeys,
        what: "an output such as { gpio: { line: GPIO23, active_low: true, drive: open-drain } }")
    else { return nil }
    let kinds = oneOf(
      programPinKeys, in: t, r,
      what: "the PROGRAM pin's output: gpio: (a Pi GPIO line) or ftdi: (an FTDI pin)")
    let lines = kinds.map { readOutputLine($0, in: t, r) }
    guard lines.count == 1, let line = lines[0] else { return nil }
    return line
  }

  /// `[[tool, a, "{hex}"], [tool, b]]` (several steps) or `[tool, "{hex}"]` (one), every word
  /// checked for placeholders rig knows.
  private static func readSteps(
    _ node: Node, at path: String, hasFlashloader: Bool, _ r: ConfigReader
  ) -> [[String]]? {
    if case .scalar = node {
      _ = argv(node, at: path, r)  // reports the shell line, with the list form to write
      return nil
    }
    guard
      let items = r.list(
        node, at: path, of: "steps such as [[my-flash-tool, --image, \"{hex}\"]]")
    else {
      return nil
    }
    guard !items.isEmpty else {
      r.report(node, path, "the command is empty", hint: "write [[program, arg1, \"{hex}\"]]")
      return nil
    }
    let nested = items.contains { if case .sequence = $0 { true } else { false } }
    let stepNodes = nested ? items.enumerated().map { ($1, "\(path)[\($0)]") } : [(node, path)]
    var steps: [[String]] = []
    var complete = true
    for (stepNode, stepPath) in stepNodes {
      guard let words = argv(stepNode, at: stepPath, r),
        case .sequence(let wordNodes) = stepNode
      else {
        complete = false
        continue
      }
      for (index, (text, wordNode)) in zip(words, wordNodes).enumerated() {
        for name in ExternalFlasher.names(in: text) {
          let at = "\(stepPath)[\(index)]"
          if !ExternalFlasherSettings.placeholders.contains(name) {
            r.report(
              wordNode, at, "unknown placeholder \(name)",
              hint: "placeholders: " + ExternalFlasherSettings.placeholders.joined(separator: ", "))
            complete = false
          } else if name == "{flashloader}" && !hasFlashloader {
            r.report(
              wordNode, at, "{flashloader} needs flasher.flashloader",
              hint: "add flashloader: vendor/ivt_flashloader.bin; \(FlashloaderFile.whereToGetIt)")
            complete = false
          }
        }
      }
      steps.append(words)
    }
    return complete ? steps : nil
  }
}
