// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Reads a firmware image file (raw `.bin`, Intel `.hex`, `.elf`) into the bytes rig writes to
/// flash, and checks they fit the RT1062's FlexSPI NOR.
public enum FirmwareImageReader {
  /// Image formats, by file extension.
  public enum Format: String, Sendable, CaseIterable {
    case bin, hex, elf
  }

  /// The format of `file`, from its extension (`.ihex` and `.axf` too), or nil.
  public static func format(of file: URL) -> Format? {
    switch file.pathExtension.lowercased() {
    case "bin": .bin
    case "hex", "ihex": .hex
    case "elf", "axf": .elf
    default: nil
    }
  }

  /// Image files are read whole; an ELF with debug information is the largest kind, and even
  /// that stays far below this.
  public static let maxFileBytes = 256 << 20

  /// Reads `file`. A `.bin` goes to `binAddress` (the start of FlexSPI NOR unless given); HEX and
  /// ELF carry their own addresses. Every byte must lie in the first `flashSize` bytes of
  /// FlexSPI NOR.
  public static func read(
    _ file: URL, binAddress: UInt32? = nil, flashSize: Int = RT1062MemoryMap.defaultFlashSize,
    files: any FileAccess
  ) throws(RigError) -> FirmwareImage {
    let name = file.displayPath
    guard let format = format(of: file) else {
      throw RigError(
        .configInvalid,
        "\(name): unknown image format '.\(TerminalText.excerpt(file.pathExtension))'; "
          + "use .bin, .hex (Intel HEX) or .elf")
    }
    let data: [UInt8]
    do {
      data = try files.read(file.path, limit: maxFileBytes)
    } catch {
      throw RigError(.configInvalid, "firmware image \(error): \(name)")
    }
    if data.isEmpty {
      throw RigError(.configInvalid, "\(name): the firmware image is empty")
    }
    let segments: [ImageSegment]
    switch format {
    case .bin:
      segments = [ImageSegment(address: binAddress ?? RT1062MemoryMap.flexSPIBase, bytes: data)]
    case .hex:
      guard let text = String(bytes: data, encoding: .ascii) else {
        throw RigError(.configInvalid, "\(name): not an Intel HEX file (it is not ASCII text)")
      }
      segments = try IntelHexReader.segments(text, file: name)
    case .elf:
      segments = try ELFReader.segments(data, file: name)
    }
    return try image(segments, file: file, flashSize: flashSize)
  }

  /// The flash image of `segments`: checked against the flash, gaps filled with 0xFF.
  public static func image(_ segments: [ImageSegment], file: URL, flashSize: Int) throws(RigError)
    -> FirmwareImage
  {
    let name = file.displayPath
    let flash = RT1062MemoryMap.flashRange(size: flashSize)
    let runs = ImageSegment.coalesce(segments)
    guard let first = runs.first, let last = runs.last else {
      throw RigError(.configInvalid, "\(name): the image holds no bytes to flash")
    }
    for run in runs where !(flash.contains(UInt64(run.address)) && run.end <= flash.upperBound) {
      var message =
        "\(name): \(run.bytes.count) bytes at \(hex32(run.address)) lie outside FlexSPI NOR "
        + "(\(hex32(UInt32(flash.lowerBound)))–\(hex32(UInt32(flash.upperBound - 1))), "
        + "\(flashSize / 1024) KiB)"
      if let window = RT1062MemoryMap.ramWindow(holding: run.address, count: run.bytes.count) {
        message += "; that is \(window) RAM: link the image to execute in place from flash, with "
          + "RAM sections loaded from flash (their load address in flash)"
      } else if UInt64(run.address) >= UInt64(RT1062MemoryMap.flexSPIBase)
        && run.end <= RT1062MemoryMap.flexSPIWindowEnd
      {
        message += "; the image is larger than the flash, or the rig's flash size is wrong"
      } else {
        message += "; a .bin needs its load address, and an XIP image starts at 0x60000000"
      }
      throw RigError(.configInvalid, message)
    }
    // Overlaps were merged away only if they touched exactly; real overlaps are errors.
    for (a, b) in zip(runs, runs.dropFirst()) where a.end > UInt64(b.address) {
      throw RigError(
        .configInvalid,
        "\(name): segments overlap at \(hex32(b.address)); the image is inconsistent")
    }
    let length = Int(last.end - UInt64(first.address))
    var bytes = [UInt8](repeating: 0xFF, count: length)
    for run in runs {
      let offset = Int(run.address - first.address)
      bytes.replaceSubrange(offset..<offset + run.bytes.count, with: run.bytes)
    }
    return FirmwareImage(file: file, loadAddress: first.address, bytes: bytes)
  }
}
