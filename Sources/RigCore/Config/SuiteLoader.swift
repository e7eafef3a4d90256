// SPDX-License-Identifier: Apache-2.0
import Foundation
import Yams

/// Loads a suite file and every clip it names into a validated `Suite`.
///
/// All problems of the suite and of its clips are thrown together in one `ConfigError`. Paths in
/// the suite are relative to the suite file; each clip folder is loaded once, however many tests
/// play it.
public enum SuiteLoader {
  static let keys = ["suite", "firmware", "defaults", "tests"]
  static let firmwareKeys = ["image", "address"]
  static let defaultsKeys = ["timeout", "retries", "limits", "requires"]
  static let testKeys = [
    "name", "clip", "tags", "timeout", "retries", "limits", "skip", "emulator_faults", "requires",
  ]
  /// Image formats the flashers understand.
  static let firmwareExtensions = ["bin", "hex", "elf"]
  static let defaultTimeout = Duration.seconds(60)
  static let maxRetries = 5

  /// Loads and validates `file` and the clips it names.
  public static func load(_ file: URL, files: any FileAccess)
    throws(ConfigError) -> Suite
  {
    var issues: [ConfigIssue] = []
    let suite = load(file, files: files, into: &issues)
    guard let suite, issues.isEmpty else { throw ConfigError(IssueOrder.arrange(issues)) }
    return suite
  }

  /// A test as the suite file declares it, before its clip is loaded.
  private struct Declared {
    var name: String
    var clipDirectory: URL
    var tags: [String]
    var limits: LimitTable
    var timeout: Duration?
    var retries: Int?
    var skipReason: String?
    var location: SourceLocation
    var emulatorFaults: [DeclaredFault]
    /// What a rig must offer to run it (`requires:`).
    var requires: [String]
    /// Where the `clip:` value is, and its YAML path: a missing folder is reported there.
    var clipReference: ConfigFileReader.Reference
  }

  static func load(_ file: URL, files: any FileAccess, into issues: inout [ConfigIssue])
    -> Suite?
  {
    let issuesBefore = issues.count
    let file = file.standardizedFileURL
    guard
      let document = YAMLDocument.load(file, what: "suite file", files: files, into: &issues)
    else {
      return nil
    }
    if let swapped = FileKindGuess.rigFileReadAsSuite(document.root, file: document.file) {
      issues.append(swapped)
      return nil
    }
    let base = file.deletingLastPathComponent()
    let r = ConfigReader(file: document.file, files: files)
    guard
      let root = r.table(
        document.root, at: "", keys: keys, required: ["suite", "tests"],
        what: "a suite (suite:, tests:, …)")
    else {
      issues += r.issues
      return nil
    }
    let name = r.name(root, "suite", what: "a suite name")
    let (firmware, firmwareAddress, firmwareLocation) = readFirmware(root, base: base, r)

    var defaultTimeout = Self.defaultTimeout
    var defaultRetries = 0
    var defaultLimits = LimitTable()
    var defaultRequires: [String] = []
    if let defaults = r.table(root, "defaults", keys: defaultsKeys) {
      defaultRequires = r.names(defaults, "requires", what: "rig tags a test needs") ?? []
      defaultTimeout = r.duration(defaults, "timeout", minimum: .milliseconds(1)) ?? defaultTimeout
      defaultRetries = r.int(defaults, "retries", in: 0...maxRetries) ?? 0
      if let node = defaults["limits"] {
        defaultLimits = LimitTable.read(node, at: defaults.path("limits"), r)
      }
    }

    let (declared, duplicates) = readTests(root, base: base, r)
    issues += r.issues

    // Tests refused for a duplicate name still have their clips checked.
    let clips = loadClips(of: declared + duplicates, files: files, into: &issues)

    let late = ConfigReader(file: document.file, files: files)
    for test in declared {
      if let clip = clips[test.clipDirectory.path] {
        checkEmulatorFaults(test.emulatorFaults, clip: clip, late)
      }
    }
    issues += late.issues

    guard issues.count == issuesBefore, let name else { return nil }
    let cases = declared.compactMap { test -> TestCase? in
      guard let clip = clips[test.clipDirectory.path] else { return nil }
      return TestCase(
        name: test.name, clip: clip, tags: test.tags,
        limits: defaultLimits.merged(with: test.limits),
        relativeLimits: defaultLimits.mergedRelative(with: test.limits),
        timeout: test.timeout ?? defaultTimeout, retries: test.retries ?? defaultRetries,
        skipReason: test.skipReason, location: test.location,
        emulatorFaults: test.emulatorFaults.map(\.fault),
        requires: defaultRequires + test.requires.filter { !defaultRequires.contains($0) })
    }
    return Suite(
      name: name, file: file, firmware: firmware, firmwareAddress: firmwareAddress,
      firmwareLocation: firmwareLocation, tests: cases)
  }

  /// The tests of the suite in order, and those refused for a name already used.
  private static func readTests(_ root: ConfigTable, base: URL, _ r: ConfigReader)
    -> (declared: [Declared], duplicates: [Declared])
  {
    var declared: [Declared] = []
    var duplicates: [Declared] = []
    guard let testsNode = root["tests"], let tests = r.list(testsNode, at: "tests", of: "tests")
    else { return ([], []) }
    if tests.isEmpty {
      r.report(testsNode, "tests", "the suite has no tests", hint: "add at least one test")
    }
    var seen: [String: SourceLocation] = [:]
    for (index, node) in tests.enumerated() {
      guard let test = readTest(node, at: "tests[\(index)]", base: base, r) else { continue }
      if let earlier = seen[test.name] {
        r.report(
          node, "tests[\(index)].name", "test name '\(test.name)' is already used",
          hint: "first used at line \(earlier.line); test names must be unique")
        duplicates.append(test)
        continue
      }
      seen[test.name] = test.location
      declared.append(test)
    }
    return (declared, duplicates)
  }

  /// Each clip folder loaded once, by path; the first test naming it is where its problems point.
  private static func loadClips(
    of tests: [Declared], files: any FileAccess, into issues: inout [ConfigIssue]
  ) -> [String: Clip] {
    var clips: [String: Clip] = [:]
    var tried: Set<String> = []
    for test in tests where !tried.contains(test.clipDirectory.path) {
      tried.insert(test.clipDirectory.path)
      if let clip = ClipLoader.load(
        test.clipDirectory, reference: test.clipReference, files: files, into: &issues)
      {
        clips[test.clipDirectory.path] = clip
      }
    }
    return clips
  }

  private static func readFirmware(_ root: ConfigTable, base: URL, _ r: ConfigReader)
    -> (URL?, UInt32?, SourceLocation?)
  {
    guard
      let firmware = r.table(
        root, "firmware", keys: firmwareKeys, required: ["image"],
        what: "a mapping such as { image: ../firmware/counting.bin }")
    else { return (nil, nil, nil) }
    var address: UInt32?
    if let node = firmware["address"],
      let text = r.string(node, at: firmware.path("address"), what: "a load address such as 0x60000000")
    {
      let lowered = text.lowercased()
      address = lowered.hasPrefix("0x") ? UInt32(lowered.dropFirst(2), radix: 16) : UInt32(lowered)
      if address == nil {
        r.report(
          node, firmware.path("address"), "'\(TerminalText.excerpt(text))' is not an address",
          hint: "write the load address of a .bin image in hex, such as 0x60000000")
      }
    }
    guard let node = firmware["image"],
      let path = r.text(node, at: firmware.path("image"), what: "a firmware image path")
    else { return (nil, address, nil) }
    guard let url = checkedImage(path, node: node, at: firmware.path("image"), base: base, address: address, r)
    else { return (nil, address, nil) }
    return (url, address, r.location(of: node))
  }

  /// The image at `path` if it exists and reads as a flashable RT1062 image.
  private static func checkedImage(
    _ path: String, node: Node, at yamlPath: String, base: URL, address: UInt32?, _ r: ConfigReader
  ) -> URL? {
    let url = resolve(path, against: base)
    let ext = url.pathExtension.lowercased()
    guard firmwareExtensions.contains(ext) else {
      r.report(
        node, yamlPath,
        "'\(TerminalText.excerpt(url.lastPathComponent))' is not a firmware image rig can flash",
        hint: "use a .bin, .hex (Intel HEX) or .elf file")
      return nil
    }
    if r.files.kind(of: url.path) == .missing {
      r.report(
        node, yamlPath, "firmware image not found: \(url.path)",
        hint: "the path is relative to the suite file; build the firmware first")
      return nil
    }
    do {
      _ = try FirmwareImageReader.read(url, binAddress: address, files: r.files)
    } catch {
      r.report(node, yamlPath, error.message, hint: "rig flashes images for the RT1062's FlexSPI NOR")
      return nil
    }
    return url
  }

  private static func readTest(_ node: Node, at path: String, base: URL, _ r: ConfigReader)
    -> Declared?
  {
    guard
      let t = r.table(
        node, at: path, keys: testKeys, required: ["name", "clip"],
        what: "a test (name:, clip:, …)")
    else { return nil }
    let name = r.name(t, "name", what: "a test name")
    var clipDirectory: URL?
    if let clipNode = t["clip"],
      let clip = r.text(clipNode, at: t.path("clip"), what: "a clip folder")
    {
      clipDirectory = resolve(clip, against: base)
    }
    var tags: [String] = []
    if let tagsNode = t["tags"] {
      if case .scalar = tagsNode, !ConfigReader.isNull(tagsNode) {
        r.report(
          tagsNode, t.path("tags"), "expected a list of tags, found \(r.describe(tagsNode))",
          hint: "write tags: [\(tagsNode.scalar?.string ?? "smoke")]")
      } else if !ConfigReader.isNull(tagsNode),
        let items = r.list(tagsNode, at: t.path("tags"), of: "tags")
      {
        for (i, item) in items.enumerated() {
          if let tag = r.name(item, at: "\(t.path("tags"))[\(i)]", what: "a tag") {
            tags.append(tag)
          }
        }
      }
    }
    let timeout = r.duration(t, "timeout", minimum: .milliseconds(1))
    let retries = r.int(t, "retries", in: 0...maxRetries)
    let limits = t["limits"].map { LimitTable.read($0, at: t.path("limits"), r) } ?? LimitTable()
    var skipReason: String?
    if let skipNode = t["skip"] {
      if ConfigReader.boolValue(skipNode) != nil {
        r.report(
          skipNode, t.path("skip"), "skip takes the reason the test is skipped",
          hint: "write skip: \"why it is skipped\"; to run the test, remove the key")
      } else {
        skipReason = r.text(skipNode, at: t.path("skip"), what: "the reason the test is skipped")
      }
    }
    let emulatorFaults = readEmulatorFaults(t, r)
    let requires = r.names(t, "requires", what: "rig tags the test needs") ?? []
    guard let name, let clipDirectory, let clipNode = t["clip"] else { return nil }
    return Declared(
      name: name, clipDirectory: clipDirectory, tags: tags, limits: limits, timeout: timeout,
      retries: retries, skipReason: skipReason, location: r.location(of: node),
      emulatorFaults: emulatorFaults, requires: requires,
      clipReference: ConfigFileReader.Reference(
        location: r.location(of: clipNode), path: t.path("clip")))
  }

  /// `path` as written in a file, resolved against that file's folder.
  static func resolve(_ path: String, against base: URL) -> URL {
    let expanded = (path as NSString).expandingTildeInPath
    if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL }
    return base.appendingPathComponent(expanded).standardizedFileURL
  }
}
