// SPDX-License-Identifier: Apache-2.0
import Foundation

extension ClipSynthesizer {
  /// Writes the clip folder: `clip.yaml`, `labels.csv`, `LICENSE` and `frames/000000.pgm` ….
  ///
  /// Frames are rendered and written one at a time, so memory stays flat in clip length.
  /// A folder that already holds files is refused unless `replacing` is true; then only the
  /// files a clip consists of (`clip.yaml`, `labels.csv`, `LICENSE`, `frames/`) are replaced.
  /// Returns the labels written.
  @discardableResult
  public func write(to directory: URL, replacing: Bool = false) throws -> [FrameLabel] {
    let plan = try makePlan()
    let manifest = manifest()
    let fm = FileManager.default
    let existing = (try? fm.contentsOfDirectory(atPath: directory.path)) ?? []
    if !existing.isEmpty {
      guard replacing else {
        throw RigError(
          .usage,
          "clip folder \(directory.displayPath) is not empty"
            + " (choose a new folder, or use --force to replace the clip in it)")
      }
      for name in ["clip.yaml", "labels.csv", "LICENSE", "frames"] where existing.contains(name) {
        do {
          try fm.removeItem(at: directory.appendingPathComponent(name))
        } catch {
          throw RigError(
            .usage, "cannot replace \(directory.appendingPathComponent(name).displayPath)",
            cause: error)
        }
      }
    }
    for index in 0..<parameters.frames {
      try ClipWriter.writeFrame(
        render(frame: index, plan: plan), index: index, manifest: manifest, in: directory)
    }
    try ClipWriter.writeMetadata(
      manifest: manifest, labels: plan.labels,
      licence: ClipWriter.generatedLicence(clip: manifest.name, provenance: manifest.provenance),
      to: directory)
    return plan.labels
  }
}
