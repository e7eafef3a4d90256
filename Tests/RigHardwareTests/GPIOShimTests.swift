// SPDX-License-Identifier: Apache-2.0
import Foundation
import GPIOShim
import RigCore
import Testing

@testable import RigHardware

#if canImport(Glibc)
  import Glibc
#endif

/// The libgpiod shim's real error paths, which need no GPIO hardware.
@Suite struct GPIOShimTests {
  @Test("the shim reports the libgpiod API of the header it was built against")
  func apiMajor() throws {
    let header = try String(contentsOfFile: "/usr/include/gpiod.h", encoding: .utf8)
    let expected = header.contains("GPIOD_LINE_BULK_MAX_LINES") ? 1 : 2
    #expect(GPIOChips.libgpiodAPI == expected)
    #expect(GPIOChips.libgpiodVersion.hasPrefix("\(expected)."))
  }

  @Test("opening a chip that does not exist fails with ENOENT")
  func missingChip() throws {
    let failure = try #require(throws: CLibraryError.self) {
      _ = try GPIOChipHandle(path: "/nonexistent/gpiochip0")
    }
    #expect(failure.library == .libgpiod)
    #expect(failure.code == ENOENT)
    #expect(failure.message == "No such file or directory")
    #expect(
      failure.description
        == "gs_chip_open(/nonexistent/gpiochip0): No such file or directory (errno 2)")
    #expect(
      GPIOFailure.chipProblem(failure) == nil, "ENOENT is reported with the list of chips instead")
  }

  @Test(
    "requesting a line on a chip that does not exist fails with ENOENT", arguments: [false, true])
  func missingChipRequest(edges: Bool) {
    errno = 0
    let line =
      edges
      ? gs_request_edges("/nonexistent/gpiochip0", 17, "rig-test", GS_EDGE_BOTH, false)
      : gs_request_output("/nonexistent/gpiochip0", 17, "rig-test", 1, false, GS_DRIVE_PUSH_PULL)
    let code = errno
    #expect(line == nil)
    #expect(code == ENOENT)
  }

  @Test("a file that is not a GPIO chip is refused", arguments: ["/dev/null", "regular"])
  func notAChip(kind: String) throws {
    let directory = try GPIOScratchFolder()
    let path = kind == "regular" ? try directory.file("gpiochip0") : kind
    let failure = try #require(throws: CLibraryError.self) {
      _ = try GPIOChipHandle(path: path)
    }
    #expect([ENOTTY, ENODEV, EINVAL].contains(failure.code), "errno \(failure.code)")
    #expect(GPIOFailure.chipProblem(failure) == "not a GPIO character device")
  }
}

/// A scratch folder, removed when the value goes away.
final class GPIOScratchFolder {
  let path: String

  init() throws {
    path =
      FileManager.default.temporaryDirectory.appendingPathComponent("rig-test-\(UUID().uuidString)")
      .path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit {
    try? FileManager.default.removeItem(atPath: path)
  }

  /// Creates an empty regular file and returns its path.
  func file(_ name: String) throws -> String {
    let file = path + "/" + name
    guard FileManager.default.createFile(atPath: file, contents: Data()) else {
      throw CocoaError(.fileWriteUnknown)
    }
    return file
  }
}
