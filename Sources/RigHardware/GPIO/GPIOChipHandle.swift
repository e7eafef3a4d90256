// SPDX-License-Identifier: Apache-2.0
import GPIOShim

#if canImport(Glibc)
  import Glibc
#endif

/// An open GPIO chip for looking at it (names, labels, who holds which line); closed on deinit.
/// Requests do not go through it: each line request opens the chip itself.
final class GPIOChipHandle {
  let path: String
  private let chip: OpaquePointer

  /// Opens the chip at `path`; the error carries errno (ENOENT, EACCES, ENOTTY…).
  init(path: String) throws(CLibraryError) {
    self.path = path
    chip = try CLibraryError.check(gs_chip_open(path), "gs_chip_open(\(path))")
  }

  deinit {
    gs_chip_close(chip)
  }

  /// The chip's name, label and number of lines.
  func info() throws(CLibraryError) -> (name: String, label: String, lineCount: Int) {
    var info = gs_chip_info()
    try CLibraryError.check(gs_chip_get_info(chip, &info), "gs_chip_get_info(\(path))")
    return (Self.string(info.name), Self.string(info.label), Int(info.num_lines))
  }

  /// What the kernel says now about the line at `offset`.
  func lineInfo(_ offset: Int) throws(CLibraryError) -> GPIOLineInfo {
    var info = gs_line_info()
    try CLibraryError.check(
      gs_chip_get_line_info(chip, UInt32(clamping: offset), &info),
      "gs_chip_get_line_info(\(path), \(offset))")
    let name = Self.string(info.name)
    let consumer = Self.string(info.consumer)
    return GPIOLineInfo(
      offset: offset, name: name.isEmpty ? nil : name, consumer: consumer.isEmpty ? nil : consumer,
      used: info.used, output: info.output, activeLow: info.active_low)
  }

  /// Every line of the chip; a line whose info cannot be read is left out.
  func lines(count: Int) -> [GPIOLineInfo] {
    (0..<count).compactMap { try? lineInfo($0) }
  }

  /// The offset of the line named `name`, or nil when this chip has none of that name.
  func findLine(named name: String) throws(CLibraryError) -> Int? {
    let offset = gs_chip_find_line(chip, name)
    if offset >= 0 { return Int(offset) }
    let code = errno
    if code == ENOENT { return nil }
    throw CLibraryError.fromErrno(code, "gs_chip_find_line(\(path), \(name))")
  }

  /// A NUL-terminated C array imported as a tuple, as a String.
  private static func string<Tuple>(_ tuple: Tuple) -> String {
    withUnsafeBytes(of: tuple) { raw in
      String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
  }
}
