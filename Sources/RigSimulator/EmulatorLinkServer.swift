// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem

#if canImport(Glibc)
  import Glibc
#endif

/// The simulated emulator's USB CDC port: its link device side served on a pseudo-terminal, so
/// the host opens a real tty (`devicePath`) exactly as it opens an RP2040 emulator's
/// `/dev/ttyACM*`.
///
/// A RigSystem reader thread moves bytes both ways (`LinkPump`): what the host writes goes into
/// `emulink_receive` (under the owner's lock), what the link has to send goes out of the
/// controller side. When the host does not read, the link's own flow control holds: the device
/// stops taking input while its transmit ring is full.
final class EmulatorLinkServer: @unchecked Sendable {
  // @unchecked: `core` and `closed` are only touched with `lock` held; the rest is immutable.
  let devicePath: String
  private let terminal: PseudoTerminal
  /// The device side, held open here too so the controller never sees a hang-up while the host
  /// reopens the tty (as a USB device stays present between opens); -1 if it could not be.
  private let holder: Int32
  private let lock: NSCondition
  private let core: EmulatorCore
  private var closed = false
  private var reader: DescriptorReader?

  /// Serves `core`'s link on a new pseudo-terminal. Every call into the core holds `lock`, which
  /// is broadcast after host bytes were taken (a frame queued may be what the DUT waits for).
  /// With `pacer` limited, host bytes are taken no faster than its rate.
  init(
    core: EmulatorCore, lock: NSCondition, pacer: LinkPacer = LinkPacer(bytesPerSecond: 0),
    microseconds: @escaping @Sendable () -> UInt64
  ) throws {
    terminal = try PseudoTerminal()
    devicePath = terminal.devicePath
    self.core = core
    self.lock = lock
    let controller = terminal.controller
    _ = fcntl(controller, F_SETFL, fcntl(controller, F_GETFL) | O_NONBLOCK)
    holder = open(devicePath, O_RDWR | O_NOCTTY | O_CLOEXEC)
    do {
      let reader = try DescriptorReader(
        fd: controller, name: "simulated emulator link", hangUp: .waitForPeer,
        handler: LinkPump(server: self, pacer: pacer, microseconds: microseconds))
      lock.lock()
      self.reader = reader
      // Called under `lock` by the link whenever it queues output (replies, or events from the
      // DUT thread): one turn of the pump, however many outputs came before it ran.
      core.onOutput = { reader.wake() }
      lock.unlock()
    } catch {
      if holder >= 0 { Glibc.close(holder) }
      terminal.close()
      throw error
    }
  }

  /// Device work under the lock: hands over host bytes, lets time-based work happen, collects
  /// what the link has to send. Returns the bytes taken, the output and when the link next has
  /// timed work (`UInt64.max`: none).
  fileprivate func exchange(_ input: UnsafeRawBufferPointer) -> (taken: Int, output: [UInt8], wakeAt: UInt64) {
    lock.lock()
    defer { lock.unlock() }
    var taken = 0
    if !input.isEmpty {
      taken = core.receive(input)
      if taken > 0 { lock.broadcast() }
    }
    core.poll()
    return (taken, core.takeOutput(), core.nextWakeMicros)
  }

  /// Stops the pump and closes the terminal; the host's tty then reads end-of-file.
  func close() {
    lock.lock()
    guard !closed else {
      lock.unlock()
      return
    }
    closed = true
    core.onOutput = nil
    let reader = self.reader
    lock.unlock()
    reader?.stop()
    if holder >= 0 { Glibc.close(holder) }
    terminal.close()
  }
}

/// The server's turns on the reader thread: take what the host wrote, run the device, write what
/// it produced, and wait for whichever comes first: host bytes, room for output, the link free
/// again (pacing), the device's own timed work, or new output (`wake`).
private struct LinkPump: DescriptorHandler {
  let server: EmulatorLinkServer
  var pacer: LinkPacer
  let microseconds: @Sendable () -> UInt64
  var input = [UInt8](repeating: 0, count: 64 * 1024)
  var inputStart = 0
  var inputEnd = 0
  var output: [UInt8] = []
  var outputStart = 0

  init(server: EmulatorLinkServer, pacer: LinkPacer, microseconds: @escaping @Sendable () -> UInt64) {
    self.server = server
    self.pacer = pacer
    self.microseconds = microseconds
  }

  mutating func handle(_ event: DescriptorReader.Event, fd: Int32) -> DescriptorReader.Next {
    switch event {
    case .failed: return .stop
    case .ready(let readiness) where readiness.contains(.readable): readHost(fd)
    case .started, .woken, .timedOut, .ready: break
    }
    let wakeAt = runDevice()
    writeHost(fd)
    return .wait(nextInterest(wakeAt: wakeAt))
  }

  /// Everything the host has written so far, in one go: the device then answers a whole batch
  /// of requests with one write, rather than one per request. A paced link delivers one chunk
  /// per turn.
  private mutating func readHost(_ fd: Int32) {
    let limit = pacer.isLimited ? min(input.count, inputEnd + pacer.chunk) : input.count
    while inputEnd < limit {
      let end = inputEnd
      let n = input.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + end, limit - end) }
      guard n > 0 else { break }
      inputEnd += n
      pacer.took(n)
    }
  }

  private mutating func runDevice() -> UInt64 {
    let (start, end) = (inputStart, inputEnd)
    let (taken, produced, wakeAt) = input.withUnsafeBytes { raw in
      server.exchange(UnsafeRawBufferPointer(rebasing: raw[start..<end]))
    }
    inputStart += taken
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
    return wakeAt
  }

  /// Writes what the host will take without blocking.
  private mutating func writeHost(_ fd: Int32) {
    while outputStart < output.count {
      let start = outputStart
      let n = output.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + start, $0.count - start) }
      guard n > 0 else { break }
      outputStart += n
    }
    if outputStart >= output.count {
      output.removeAll(keepingCapacity: true)
      outputStart = 0
    }
  }

  private func nextInterest(wakeAt: UInt64) -> DescriptorReader.Interest {
    let linkWait = pacer.wait()
    let wantInput = inputEnd < input.count && inputStart == inputEnd && linkWait == .zero
    var events: DescriptorReader.Readiness = []
    if wantInput { events.insert(.readable) }
    if outputStart < output.count { events.insert(.writable) }
    var timeout: Duration?
    func soonest(_ duration: Duration) { timeout = min(timeout ?? duration, duration) }
    if linkWait > .zero { soonest(min(linkWait, .seconds(1))) }
    if inputStart < inputEnd {
      // Input the device could not take yet: its replies must drain first; look again soon.
      soonest(.milliseconds(1))
    } else if wakeAt != .max {
      let now = microseconds()
      soonest(.microseconds(wakeAt <= now ? 0 : min(wakeAt - now, 1_000_000)))
    }
    return DescriptorReader.Interest(events, timeout: timeout)
  }
}
