// SPDX-License-Identifier: Apache-2.0
import Yams

/// `emulator_faults:` of a test: camera faults injected through the emulator.
///
/// ```yaml
/// emulator_faults:
///   - { kind: len_zero, frame: 12 }
///   - { kind: corrupt_byte, frame: 30, parameter: 100 }
///   - { kind: testreg_fail }
/// ```
extension SuiteLoader {
  static let emulatorFaultKeys = ["kind", "frame", "mode", "parameter"]

  /// A fault as declared, with where it is, so a frame past the clip's end can be reported there.
  struct DeclaredFault {
    var fault: EmulatorFaultInjection
    var node: Node
    var path: String
  }

  static func readEmulatorFaults(_ t: ConfigTable, _ r: ConfigReader) -> [DeclaredFault] {
    guard let node = t["emulator_faults"], !ConfigReader.isNull(node),
      let items = r.list(
        node, at: t.path("emulator_faults"), of: "faults such as { kind: len_zero, frame: 12 }")
    else { return [] }
    return items.enumerated().compactMap { index, item in
      let path = "\(t.path("emulator_faults"))[\(index)]"
      guard
        let f = r.table(
          item, at: path, keys: emulatorFaultKeys, required: ["kind"],
          what: "a fault such as { kind: len_zero, frame: 12 }")
      else { return nil }
      let kind: EmulatorFaultKind? = r.choice(f, "kind", what: "an emulator fault kind")
      let frame = r.int(f, "frame", in: 0...10_000_000)
      let mode: EmulatorFaultMode? = r.choice(
        f, "mode", what: "once or always", among: [EmulatorFaultMode.once, .always])
      let parameter = r.int(f, "parameter", in: 0...Int(UInt32.max))
      guard let kind else { return nil }
      if let frameNode = f["frame"], !kind.isFrameFault {
        r.report(
          frameNode, f.path("frame"), "\(kind.rawValue) is not about a frame: it hits the camera "
            + "check the firmware makes at the test's start",
          hint: "remove frame: from this fault")
      }
      return DeclaredFault(
        fault: EmulatorFaultInjection(
          kind: kind, frame: kind.isFrameFault ? frame : nil, mode: mode ?? .once,
          parameter: UInt32(parameter ?? 0)),
        node: item, path: path)
    }
  }

  /// Frames past the end of the test's clip never come: report them.
  static func checkEmulatorFaults(_ faults: [DeclaredFault], clip: Clip, _ r: ConfigReader) {
    for declared in faults {
      guard let frame = declared.fault.frame, frame >= clip.frameCount else { continue }
      r.report(
        declared.node, "\(declared.path).frame",
        "frame \(frame) is past the end of clip '\(clip.manifest.name)' (\(clip.frameCount) frames)",
        hint: "frames count from 0")
    }
  }
}
