// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// The simulated emulator's USB CDC port: its link device side served on a pseudo-terminal, so
/// the host opens a real tty (`devicePath`) exactly as it opens an RP2040 emulator's
/// `/dev/ttyACM*`.
///
/// One thread owned by this type moves bytes both ways: what the host writes goes into
/// `emulink_receive` (under the owner's lock), what the link has to send goes out of the
/// controller side. When the host does not read, the link's own flow control holds: the device
/// stops taking input while its transmit ring is full.
final class EmulatorLinkServer: @unchecked Sendable {
  // @unchecked: the descriptors are fixed after init; the thread only uses them, and `close()`
  // releases them once, after the thread has stopped. `core` is only touched with `lock` held.
  let devicePath: String
  private let terminal: PseudoTerminal
  private let wake: (read: Int32, write: Int32)
  private let stopped = DispatchSemaphore(value: 0)
  private let lock: NSCondition
  private let core: EmulatorCore
  private let microseconds: @Sendable () -> UInt64
  private var closed = false
  /// Set (under `lock`) when the link has output the thread has not been woken for.
  private var woken = false
  /// The host → emulator direction's rate (unlimited unless asked for).
  private let pacer: LinkPacer

  /// Serves `core`'s link on a new pseudo-terminal. Every call into the core holds `lock`, which
  /// is broadcast after host bytes were taken (a frame queued may be what the DUT waits for).
  /// With `pacer` limited, host bytes are taken no faster than its rate.
  init(
    core: EmulatorCore, lock: NSCondition, pacer: LinkPacer = LinkPacer(bytesPerSecond: 0),
    microseconds: @escaping @Sendable () -> UInt64
  ) throws {
    self.pacer = pacer
    terminal = try PseudoTerminal()
    devicePath = terminal.devicePath
    self.core = core
    self.lock = lock
    self.microseconds = microseconds
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else {
      terminal.close()
      throw RigError(.hardwareFault, "cannot create a pipe: \(String(cString: strerror(errno)))")
    }
    wake = (fds[0], fds[1])
    for fd in [fds[0], fds[1], terminal.controller] {
      _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }
    // The device side stays open here too, so the controller never sees a hang-up while the
    // host reopens the tty (as a USB device stays present between opens).
    let holder = open(devicePath, O_RDWR | O_NOCTTY | O_CLOEXEC)
    lock.lock()
    core.onOutput = { [unowned self] in self.outputReady() }
    lock.unlock()
    let thread = Thread { [self] in
      serve()
      if holder >= 0 { Glibc.close(holder) }
    }
    thread.name = "simulated emulator link"
    thread.start()
  }

  /// Called under `lock` by the link whenever it queues output (replies, or events from the DUT
  /// thread): wakes the server thread once.
  private func outputReady() {
    guard !woken else { return }
    woken = true
    var one: UInt8 = 1
    _ = Glibc.write(wake.write, &one, 1)
  }

  private func serve() {
    defer { stopped.signal() }
    var pacer = self.pacer
    let controller = terminal.controller
    var input = [UInt8](repeating: 0, count: 64 * 1024)
    var inputStart = 0
    var inputEnd = 0
    var output: [UInt8] = []
    var outputStart = 0
    var scratch = [UInt8](repeating: 0, count: 64)
    while true {
      // Device work under the lock: take host bytes, let time-based work happen, collect output.
      lock.lock()
      woken = false
      if inputStart < inputEnd {
        let taken = input.withUnsafeBytes { raw in
          core.receive(UnsafeRawBufferPointer(rebasing: raw[inputStart..<inputEnd]))
        }
        inputStart += taken
        if taken > 0 { lock.broadcast() }
      }
      core.poll()
      let produced = core.takeOutput()
      let wakeAt = core.nextWakeMicros
      lock.unlock()
      if inputStart == inputEnd {
        inputStart = 0
        inputEnd = 0
      }
      if !produced.isEmpty {
        if outputStart >= output.count {
          output = produced
          outputStart = 0
        } else {
          output.append(contentsOf: produced)
        }
      }
      // Write what we can without blocking.
      while outputStart < output.count {
        let n = output.withUnsafeBytes {
          Glibc.write(controller, $0.baseAddress! + outputStart, output.count - outputStart)
        }
        if n > 0 {
          outputStart += n
        } else {
          break
        }
      }
      if outputStart >= output.count {
        output.removeAll(keepingCapacity: true)
        outputStart = 0
      }

      let linkWait = pacer.wait()
      let wantInput = inputEnd < input.count && inputStart == inputEnd && linkWait == .zero
      var fds = [
        pollfd(fd: controller, events: Int16((wantInput ? POLLIN : 0) | (outputStart < output.count ? POLLOUT : 0)), revents: 0),
        pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0),
      ]
      // Wake for whichever comes first: the link free again, the device's own timed work.
      var timeout: Int32 = -1
      func soonest(_ milliseconds: Int32) { timeout = timeout < 0 ? milliseconds : min(timeout, milliseconds) }
      if linkWait > .zero {
        let (seconds, attoseconds) = linkWait.components
        soonest(Int32(min(seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000, 1000)))
      }
      if inputStart < inputEnd {
        // Input the device could not take yet: its replies must drain first; look again soon.
        soonest(1)
      } else if wakeAt != .max {
        let now = microseconds()
        soonest(wakeAt <= now ? 0 : Int32(min((wakeAt - now + 999) / 1000, 1000)))
      }
      if poll(&fds, 2, timeout) < 0 {
        if errno == EINTR { continue }
        return
      }
      if fds[1].revents != 0 {
        while scratch.withUnsafeMutableBytes({ Glibc.read(wake.read, $0.baseAddress, $0.count) }) > 0 {}
        if isClosed { return }
      }
      if fds[0].revents & Int16(POLLIN) != 0 {
        // Everything the host has written so far, in one go: the device then answers a whole
        // batch of requests with one write, rather than one per request.
        // A paced link delivers one chunk per turn.
        let limit = pacer.isLimited ? min(input.count, inputEnd + pacer.chunk) : input.count
        while inputEnd < limit {
          let n = input.withUnsafeMutableBytes {
            Glibc.read(controller, $0.baseAddress! + inputEnd, limit - inputEnd)
          }
          guard n > 0 else { break }
          inputEnd += n
          pacer.took(n)
        }
      } else if fds[0].revents & Int16(POLLHUP) != 0 {
        // No host has the device side open: wait for one rather than spin.
        var pause = timespec(tv_sec: 0, tv_nsec: 5_000_000)
        nanosleep(&pause, nil)
      }
    }
  }

  private var isClosed: Bool {
    lock.lock()
    defer { lock.unlock() }
    return closed
  }

  /// Stops the thread and closes the terminal; the host's tty then reads end-of-file.
  func close() {
    lock.lock()
    guard !closed else {
      lock.unlock()
      return
    }
    closed = true
    core.onOutput = nil
    lock.unlock()
    var one: UInt8 = 1
    _ = Glibc.write(wake.write, &one, 1)
    stopped.wait()
    terminal.close()
    Glibc.close(wake.read)
    Glibc.close(wake.write)
  }
}
