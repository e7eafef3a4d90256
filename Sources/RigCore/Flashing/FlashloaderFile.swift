// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The RAM flashloader a real RT1062 needs for the ROM path (`flasher: { native: … }` and the
/// blhost preset): NXP's `ivt_flashloader.bin`, which each user supplies.
///
/// rig cannot ship it: NXP's licence for the flashloader does not allow redistributing it. The
/// simulated bench needs none (its ROM runs the simulator's own flashloader).
public enum FlashloaderFile {
  /// Larger files are refused unread: a flashloader runs from on-chip RAM (about 60 KiB).
  public static let sizeLimit = 1 << 20

  /// Where a user gets the file, for every message that asks for it.
  public static let whereToGetIt =
    "rig does not ship NXP's ivt_flashloader.bin (NXP's licence does not allow redistributing "
    + "it): download NXP's Flashloader for i.MX RT1060 (FLASHLOADER-RT106x on nxp.com) and take "
    + "Tools/mfgtools-rel/Profiles/MXRT106X/OS Firmware/ivt_flashloader.bin, or build the "
    + "flashloader example of the MCUXpresso SDK for EVK-MIMXRT1060 and wrap it with SPSDK's "
    + "nxpimage; put it beside the rig file and name it in flashloader:"

  /// What is wrong with `bytes` as a flashloader loaded at `loadAddress` and started at its IVT
  /// at `jumpAddress`, or nil when it looks right.
  public static func problem(_ bytes: [UInt8], loadAddress: UInt32, jumpAddress: UInt32)
    -> String?
  {
    guard !bytes.isEmpty else { return "the file is empty" }
    guard jumpAddress >= loadAddress else {
      return "jump_address \(hex32(jumpAddress)) lies before load_address \(hex32(loadAddress))"
    }
    let offset = Int(jumpAddress - loadAddress)
    // The ROM refuses an IVT whose self field differs from where it was found.
    guard offset + ImageVectorTable.size <= bytes.count,
      let ivt = ImageVectorTable(bytes: bytes[offset..<(offset + ImageVectorTable.size)]),
      ivt.selfAddress == jumpAddress
    else {
      return "no image vector table for \(hex32(jumpAddress)) at offset \(hex32(UInt32(offset))) "
        + "(NXP's ivt_flashloader.bin has it at 0x400, loaded at 0x20000000)"
    }
    return nil
  }

  /// Why a flashloader file cannot be used: what is wrong, and what to do about it.
  public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var hint: String?

    /// A failure with its fix.
    public init(_ message: String, hint: String? = nil) {
      self.message = message
      self.hint = hint
    }

    /// `flashloader vendor/x.bin not found (rig does not ship …)`.
    public var description: String { message + (hint.map { " (\($0))" } ?? "") }
  }

  /// The bytes of `file`, checked, or why they cannot be used.
  public static func load(
    _ file: URL, loadAddress: UInt32, jumpAddress: UInt32,
    files: any FileAccess
  ) -> Result<[UInt8], Failure> {
    let path = file.displayPath
    let bytes: [UInt8]
    do {
      bytes = try files.read(file.path, limit: sizeLimit)
    } catch {
      switch error {
      case .missing:
        return .failure(Failure("flashloader \(path) not found", hint: whereToGetIt))
      case .directory:
        return .failure(
          Failure(
            "flashloader \(path) is a folder", hint: "name the ivt_flashloader.bin file in it"))
      case .tooLarge(let size, _):
        return .failure(
          Failure(
            "flashloader \(path) is \(size.map { "\($0) bytes" } ?? "larger"), more than a "
              + "flashloader's 1 MiB at most",
            hint: "check the file: NXP's ivt_flashloader.bin is about 60 KiB"))
      case .permissionDenied:
        return .failure(
          Failure(
            "flashloader \(path) \(error)",
            hint: "check its permissions: the bench user must be able to read it"))
      case .special, .failed:
        return .failure(Failure("flashloader \(path) \(error)", hint: error.hint))
      }
    }
    if let problem = problem(bytes, loadAddress: loadAddress, jumpAddress: jumpAddress) {
      return .failure(
        Failure(
          "flashloader \(path) is not a flashloader image: \(problem)",
          hint: "use NXP's ivt_flashloader.bin, or set load_address and jump_address for "
            + "another layout"))
    }
    return .success(bytes)
  }

  /// The bytes of `file`, checked.
  /// - Throws: `RigError(.configInvalid)` naming the file and, when it is missing, where to get
  ///   it.
  public static func read(
    _ file: URL, loadAddress: UInt32, jumpAddress: UInt32, files: any FileAccess
  ) throws -> [UInt8] {
    switch load(file, loadAddress: loadAddress, jumpAddress: jumpAddress, files: files) {
    case .success(let bytes): return bytes
    case .failure(let failure): throw RigError(.configInvalid, failure.description)
    }
  }
}
