// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigSystem

extension Rig {
  struct Fixtures: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Make, import and check clips (frames + labels).",
      subcommands: [Synth.self, Check.self, ImportMOT.self])
  }
}

extension Rig.Fixtures {
  /// Deterministic top-down clips with exact labels.
  struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Generate a clip of people crossing a counting line, with exact labels.",
      discussion: """
        The same options always give byte-identical output. Scenarios: \
        \(ClipSynthesizer.Scenario.allCases.map(\.rawValue).joined(separator: ", ")). \
        See docs/fixtures.md for the scene model.
        """)

    @Argument(help: "Folder to write the clip into (created; must be empty unless --force).")
    var output: String

    @Option(help: "Scene preset.")
    var scenario: String = ClipSynthesizer.Scenario.corridorLight.rawValue

    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 1

    @Option(help: "Number of frames.")
    var frames: Int = 120

    @Option(help: "Frame width in pixels.")
    var width: Int?

    @Option(help: "Frame height in pixels.")
    var height: Int?

    @Option(help: "Frames per second written to clip.yaml.")
    var fps: Double?

    @Option(help: "Most people in view at once.")
    var maxPeople: Int?

    @Option(help: "Clip name (default: the scenario name).")
    var name: String?

    @Flag(help: "Replace the folder's contents if it is not empty.")
    var force = false

    func run() throws {
      guard let preset = ClipSynthesizer.Scenario(rawValue: scenario) else {
        throw ValidationError(
          "unknown scenario '\(scenario)'; choose one of "
            + ClipSynthesizer.Scenario.allCases.map(\.rawValue).joined(separator: ", "))
      }
      var parameters = ClipSynthesizer.Parameters(scenario: preset, seed: seed, frames: frames)
      if let width { parameters.width = width }
      if let height { parameters.height = height }
      if let fps { parameters.fps = fps }
      if let maxPeople { parameters.maxPeople = maxPeople }
      if let name { parameters.name = name }
      let problems = parameters.problems()
      if !problems.isEmpty { throw ValidationError(problems.joined(separator: "; ")) }
      do {
        let directory = URL(fileURLWithPath: output)
        let labels = try ClipSynthesizer(parameters).write(to: directory, replacing: force)
        let people = labels.map(\.count).max() ?? 0
        let crossings = (labels.last?.inCount ?? 0) + (labels.last?.outCount ?? 0)
        Terminal.out(
          "wrote \(directory.displayPath)/: \(labels.count) frames \(parameters.width)×\(parameters.height), "
            + "up to \(people) people, \(crossings) line crossings")
      } catch {
        throw Failure.exit(error)
      }
    }
  }

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check clips: manifest, every frame, labels against frames, licence.",
      discussion: "Exit code 0 when every clip is sound, 78 otherwise, with every problem listed.")

    @Argument(help: "Clip folders.")
    var clips: [String]

    func run() throws {
      var issues: [ConfigIssue] = []
      var good: [String] = []
      for path in clips {
        do {
          let clip = try ClipLoader.load(URL(fileURLWithPath: path), files: LocalFileAccess())
          let found = ClipChecker.check(clip, files: LocalFileAccess())
          if found.isEmpty {
            good.append("ok  \(clip.directory.displayPath): '\(clip.manifest.name)', \(clip.frameCount) frames \(clip.manifest.format.rawValue) \(clip.manifest.width)×\(clip.manifest.height), licence \(clip.manifest.licence)")
          }
          issues += found
        } catch {
          issues += error.issues
          issues += ClipChecker.checkLicenceFile(
            in: URL(fileURLWithPath: path), licence: nil, files: LocalFileAccess())
        }
      }
      for line in good { Terminal.out(line) }
      if !issues.isEmpty { throw Failure.exit(ConfigError(issues)) }
    }
  }

  /// Turns a MOT Challenge sequence folder into a clip: labels from its ground truth.
  struct ImportMOT: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import-mot",
      abstract: "Make a MOT Challenge sequence folder a clip: clip.yaml and labels.csv from gt/gt.txt.",
      discussion: """
        Counts are pedestrians (class 1) marked for evaluation (flag 1), optionally only those at least \
        --visibility visible and centred inside --roi. With --line, in/out are cumulative crossings of \
        each track's box centre over the line. The folder needs seqinfo.ini and JPEG or PGM images.
        """)

    @Argument(help: "MOT sequence folder (with seqinfo.ini, img1/ and gt/gt.txt).")
    var sequence: String

    @Option(help: "Licence of the sequence's images and labels (written to clip.yaml; required).")
    var licence: String

    @Option(help: "Counting line: horizontal:ROW or vertical:COLUMN, optionally :decreasing for 'in' towards smaller coordinates.")
    var line: String?

    @Option(help: "Minimum visibility ratio (0…1) for a box to count.")
    var visibility: Double = 0

    @Option(help: "Region of interest x,y,width,height in pixels; boxes centred outside do not count.")
    var roi: String?

    @Option(help: "Clip name (default: the folder name).")
    var name: String?

    @Flag(help: "Replace the clip.yaml and labels.csv the folder already holds.")
    var force = false

    func validate() throws {
      guard (0...1).contains(visibility) else {
        throw ValidationError("--visibility is a ratio from 0 to 1, got \(MetricFormat.number(visibility))")
      }
    }

    func run() throws {
      var options = MOTImporter.Options()
      options.visibilityThreshold = visibility
      if let line { options.countingLine = try Self.parseLine(line) }
      if let roi {
        let parts = roi.split(separator: ",").compactMap { Double($0) }
        guard parts.count == 4 else { throw ValidationError("--roi wants x,y,width,height, got '\(roi)'") }
        options.regionOfInterest = MOTImporter.Region(x: parts[0], y: parts[1], width: parts[2], height: parts[3])
      }
      do {
        let directory = URL(fileURLWithPath: sequence)
        try ClipWriter.checkNotOverwriting(["clip.yaml", "labels.csv"], in: directory, replacing: force)
        let imported = try MOTImporter(options: options).importSequence(at: directory, files: LocalFileAccess())
        let folder = directory.standardizedFileURL.lastPathComponent
        let clipName = name ?? folder
        let manifest = try imported.manifest(
          name: clipName, licence: licence,
          provenance: "imported by rig fixtures import-mot from \(folder)/gt/gt.txt")
        // The sequence's own licence file, when it has one, is the one to keep.
        let hasLicence = ClipChecker.checkLicenceFile(
          in: directory, licence: nil, files: LocalFileAccess()).isEmpty
        try ClipWriter.writeMetadata(
          manifest: manifest, labels: imported.labels,
          licence: hasLicence
            ? nil
            : ClipWriter.importedLicence(
              clip: clipName, licence: licence,
              source: "MOT Challenge sequence \(imported.sequenceInfo?.name ?? folder)"),
          to: directory)
        Terminal.out(
          "wrote \(directory.displayPath)/clip.yaml and labels.csv: \(imported.labels.count) frames, "
            + "up to \(imported.labels.map(\.count).max() ?? 0) people")
      } catch {
        throw Failure.exit(error)
      }
    }

    static func parseLine(_ text: String) throws -> CountingLine {
      let parts = text.split(separator: ":").map(String.init)
      guard parts.count >= 2, let orientation = CountingLine.Orientation(rawValue: parts[0]),
        let position = Int(parts[1])
      else {
        throw ValidationError("--line wants horizontal:ROW or vertical:COLUMN[:increasing|decreasing], got '\(text)'")
      }
      var direction = CountingLine.Direction.increasing
      if parts.count > 2 {
        guard let d = CountingLine.Direction(rawValue: parts[2]) else {
          throw ValidationError("--line direction must be increasing or decreasing, got '\(parts[2])'")
        }
        direction = d
      }
      return CountingLine(orientation: orientation, position: position, inDirection: direction)
    }
  }
}
