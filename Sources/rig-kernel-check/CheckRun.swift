// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
  import Glibc
#endif

/// Runs named checks, prints `PASS name` or `FAIL name: why` for each as it finishes, and
/// counts them for the summary line that Scripts/qemu/run parses.
struct CheckRun {
  private(set) var passed = 0
  private(set) var failed: [String] = []

  /// Runs `body`; a thrown error (a `CheckFailure` or any error from rig) fails the check.
  mutating func check(_ name: String, _ body: () async throws -> Void) async {
    do {
      try await body()
      passed += 1
      emit("PASS \(name)")
    } catch {
      failed.append(name)
      emit("FAIL \(name): \(error)")
    }
  }

  /// Records a check that could not run, because what it needs failed earlier.
  mutating func skipFailing(_ name: String, because why: String) {
    failed.append(name)
    emit("FAIL \(name): not run, \(why)")
  }

  /// `rig-kernel-check: 23 passed, 0 failed`.
  var summary: String {
    "rig-kernel-check: \(passed) passed, \(failed.count) failed"
  }

  /// One line straight to the console with write(2), unbuffered: the guest powers off right
  /// after the summary line, and a line left in a stdio buffer would be lost.
  func emit(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    var written = 0
    while written < bytes.count {
      let n = bytes[written...].withUnsafeBufferPointer { write(1, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return }
      written += n
    }
  }
}
