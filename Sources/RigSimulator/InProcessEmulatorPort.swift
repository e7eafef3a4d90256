// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem
import Synchronization

/// The simulated emulator's link reached in process: the same C device side as on the
/// pseudo-terminal, with the bytes handed over directly instead of through a tty. Used by the
/// simulated bench when no tty is wanted (tests of the bench itself).
final class InProcessEmulatorPort: SerialLink, @unchecked Sendable {
  // @unchecked: `core` is only touched with `lock` held; the rest is immutable or thread-safe.
  private let lock: NSCondition
  private let core: EmulatorCore
  private let output = DeadlineQueue<SerialChunk>(capacity: 1 << 16)
  private let closed = Atomic<Bool>(false)

  /// A port onto `core`, whose every use holds `lock`.
  init(core: EmulatorCore, lock: NSCondition) {
    self.core = core
    self.lock = lock
    let output = output
    lock.lock()
    core.onOutput = { [unowned core] in
      let bytes = core.takeOutput()
      if !bytes.isEmpty { output.push(SerialChunk(bytes: bytes)) }
    }
    lock.unlock()
  }

  var name: String { "simulated camera emulator" }

  func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {
    try checkOpen()
    var offset = 0
    while offset < bytes.count {
      let taken = feed(bytes, from: offset)
      offset += taken
      if taken == 0 {
        // Output is handed over as it is produced, so the device is never blocked for long.
        guard ContinuousClock.now < deadline else {
          throw RigError(.timedOut, "simulated camera emulator: did not take \(bytes.count - offset) bytes in time")
        }
        await Task.yield()
      }
    }
  }

  func read(until deadline: ContinuousClock.Instant) async throws -> SerialChunk? {
    try checkOpen()
    return try await output.next(until: deadline)
  }

  func discardInput() {
    output.removeAll()
  }

  func close() async {
    closed.store(true, ordering: .sequentiallyConsistent)
    detach()
    output.finish()
  }

  /// Hands `bytes[offset...]` to the device; returns how many it took.
  private func feed(_ bytes: [UInt8], from offset: Int) -> Int {
    lock.lock()
    defer { lock.unlock() }
    let taken = bytes.withUnsafeBytes { raw in
      core.receive(UnsafeRawBufferPointer(rebasing: raw[offset...]))
    }
    core.poll()
    // A frame queued may be what the DUT waits for.
    lock.broadcast()
    return taken
  }

  private func detach() {
    lock.lock()
    defer { lock.unlock() }
    core.onOutput = nil
  }

  private func checkOpen() throws {
    if closed.load(ordering: .sequentiallyConsistent) {
      throw RigError(.hardwareUnavailable, "simulated camera emulator: closed (the bench was shut down)")
    }
  }
}
