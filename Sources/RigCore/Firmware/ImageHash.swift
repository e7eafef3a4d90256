// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The image hash of docs/telemetry.md (`img=` in the boot record): SHA-256 over the bytes rig
/// writes to flash, from the image's lowest address to its highest, gaps filled with 0xFF (the
/// erased state), written as 64 lowercase hex digits.
///
/// Firmware computes the same over its own flash image (linker symbols give the extent), so
/// equal hashes mean the board runs exactly the file rig would flash.
public enum ImageHash {
  /// The hash of an image's flash bytes.
  public static func of(_ bytes: [UInt8]) -> String {
    SHA256.hex(bytes)
  }

  /// Whether a hash the firmware reported names the same image: case and surrounding spaces do
  /// not matter; an empty or all-zero report (firmware that does not know) never matches.
  public static func matches(reported: String, expected: String) -> Bool {
    let a = reported.trimmingCharacters(in: .whitespaces).lowercased()
    let b = expected.trimmingCharacters(in: .whitespaces).lowercased()
    guard !a.isEmpty, a.contains(where: { $0 != "0" }) else { return false }
    return a == b
  }

  /// The first 12 digits, for one-line messages.
  public static func short(_ hash: String) -> String {
    String(hash.prefix(12))
  }
}
