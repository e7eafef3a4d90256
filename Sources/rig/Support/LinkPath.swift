// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// The symlink a standalone simulated device is reached by (`rig sim rom|emulator --link PATH`),
/// like socat's `link=`: tools are pointed at a stable name while the pseudo-terminal behind it
/// changes from run to run.
enum LinkPath {
  /// Points `path` at `tty`, replacing an old symlink but never a file or a device node.
  static func place(_ path: String, to tty: String) throws {
    if let kind = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType {
      guard kind == .typeSymbolicLink else {
        throw RigError(.usage, "\(path) exists and is not a symlink; choose another --link path")
      }
      try FileManager.default.removeItem(atPath: path)
    }
    do {
      try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: tty)
    } catch {
      throw RigError(.usage, "cannot create the symlink \(path): \(error.localizedDescription)")
    }
  }

  /// Removes the symlink when the device stops; anything else now at `path` is left alone.
  static func remove(_ path: String) {
    let kind = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType
    if kind == .typeSymbolicLink { try? FileManager.default.removeItem(atPath: path) }
  }
}
