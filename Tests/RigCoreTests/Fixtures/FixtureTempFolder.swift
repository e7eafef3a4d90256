// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A fresh folder under the system's temporary directory, removed when released.
final class FixtureTempFolder {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("rig-fixtures-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit {
    try? FileManager.default.removeItem(at: url)
  }
}
