// SPDX-License-Identifier: Apache-2.0

/// Whether a rig can run a test: its camera can serve the clip's frames, and it carries every
/// tag the test requires (`requires:` in the suite, `tags:` in the rig file).
public enum RigCompatibility {
  /// Why `rig` cannot run `test`, or nil when it can.
  public static func obstacle(to test: TestCase, on rig: RigConfiguration) -> String? {
    var reasons: [String] = []
    if let why = test.quarantinedOn[rig.name] { reasons.append("the test is \(why)") }
    let missing = test.requires.filter { !rig.tags.contains($0) }
    if !missing.isEmpty {
      reasons.append("it lacks the tag\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))")
    }
    if let format = rig.cameraFormat, !FrameConverter.canConvert(test.clip.manifest.format, to: format) {
      reasons.append("its camera serves \(format.rawValue) and the clip is \(test.clip.manifest.format.rawValue)")
    }
    return reasons.isEmpty ? nil : reasons.joined(separator: " and ")
  }
}
