// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem

/// The simulated bench's hardware: the DUT's supply and UART, and the camera emulator it reads.
///
/// One condition guards all of it, so the DUT thread can sleep until anything it waits for
/// changes (a frame queued, a command byte, the supply switched off) without spinning.
/// `@unchecked Sendable`: every mutable property is read and written only with `signal` held.
final class VirtualBoard: @unchecked Sendable {
  let settings: SimulationSettings
  /// The board's name (its rig's): what tells two boards of one model apart.
  let name: String
  let signal = NSCondition()
  /// DUT → host bytes, as the console reads them.
  let output: DeadlineQueue<SerialChunk>
  /// The camera emulator the DUT reads over SPI; the host reaches it through its link.
  let emulator: EmulatorCore
  let origin = ContinuousClock.now

  /// A real UART drops what its receive FIFO cannot hold while the firmware does not read it.
  static let receiveLimit = 4096

  /// Bumped by every power transition: a firmware thread started under another epoch is dead.
  private(set) var epoch: UInt64 = 0
  private(set) var powered = false
  /// Set by the `unplug` fault: the power switch no longer reaches the board.
  var unplugged = false
  /// Whether the firmware has set up its UART (from boot until power off or reset).
  private var receiving = false
  /// Host → DUT bytes not yet read by the firmware.
  var received: [UInt8] = []
  /// What the host configured the emulator to serve (its CONFIG); the firmware is built for the
  /// same.
  var setup: CameraSetup { emulator.setup }
  /// Faults marked `once` that have fired, by index in `settings.faults`, for the bench's life.
  var firedFaults: Set<Int> = []
  /// Where the DUT's UART output goes instead of `output` when set: the pseudo-terminal wire.
  var wire: (([UInt8]) -> Void)?
  /// Hash the firmware reports for its image: set by the ROM from the image it boots.
  var imageHash = ""
  /// The BOOT_MODE pins as the host set them; the ROM samples them at power on and reset.
  var bootModePins = BootMode.internal
  /// While the ROM or the flashloader runs, it reads the UART continuously: nothing is dropped.
  var downloaderActive = false
  /// The FlexSPI NOR and the ROM and flashloader behind the serial downloader.
  let rom: ROMHardware

  init(settings: SimulationSettings, name: String = "", flash: FlashArray? = nil) {
    self.settings = settings
    self.name = name
    rom = ROMHardware(settings: settings.flash, flash: flash)
    output = DeadlineQueue(capacity: 1 << 16)
    let origin = self.origin
    emulator = EmulatorCore(ramBytes: settings.camera.ramBytes) { Self.micros(since: origin) }
  }

  /// Microseconds since the bench was built: the emulator's and the DUT's clock.
  func micros() -> UInt64 {
    Self.micros(since: origin)
  }

  private static func micros(since origin: ContinuousClock.Instant) -> UInt64 {
    let elapsed = origin.duration(to: .now).components
    return UInt64(elapsed.seconds) * 1_000_000 + UInt64(elapsed.attoseconds / 1_000_000_000_000)
  }

  /// Runs `body` with the lock held.
  func locked<T>(_ body: () throws -> T) rethrows -> T {
    signal.lock()
    defer { signal.unlock() }
    return try body()
  }

  /// Runs `body` with the lock held if the firmware of `epoch` still has power; nil otherwise.
  func ifPowered<T>(_ epoch: UInt64, _ body: () -> T) -> T? {
    signal.lock()
    defer { signal.unlock() }
    guard self.epoch == epoch else { return nil }
    return body()
  }

  // MARK: - Supply

  func setPower(_ state: PowerState) {
    signal.lock()
    defer { signal.unlock() }
    switch state {
    case .on:
      guard !powered else { return }
      powered = true
      epoch &+= 1
      let epoch = self.epoch
      let thread = Thread { [self] in FirmwareThread.run(board: self, epoch: epoch) }
      thread.name = "virtual-rt1062"
      thread.start()
    case .off:
      guard powered else { return }
      powered = false
      epoch &+= 1
      receiving = false
      received.removeAll()
      signal.broadcast()
    }
  }

  // MARK: - UART

  /// The firmware of `epoch` has (re)initialised its UART: it receives from now on.
  func openUART(_ epoch: UInt64) {
    locked {
      guard self.epoch == epoch else { return }
      receiving = true
      received.removeAll()
    }
  }

  /// The firmware of `epoch` went through a reset: bytes sent meanwhile are lost.
  func closeUART(_ epoch: UInt64) {
    locked {
      guard self.epoch == epoch else { return }
      receiving = false
      received.removeAll()
    }
  }

  /// Host → DUT. Lost unless the firmware is running, as on a real UART.
  func receive(_ bytes: [UInt8]) {
    locked {
      guard powered, receiving else { return }
      let room = (downloaderActive ? Int.max : Self.receiveLimit) - received.count
      if room > 0 { received.append(contentsOf: bytes.prefix(room)) }
      signal.broadcast()
    }
  }

  /// DUT → host, only while the firmware of `epoch` still has power.
  func transmit(_ bytes: [UInt8], epoch: UInt64) {
    locked {
      guard self.epoch == epoch else { return }
      if let wire {
        wire(bytes)
      } else {
        output.push(SerialChunk(bytes: bytes, arrival: .now))
      }
    }
  }

  // MARK: - Waiting (DUT thread)

  /// Sleeps until `deadline` (board microseconds). False if the supply went off first.
  func sleep(untilMicros deadline: UInt64, epoch: UInt64) -> Bool {
    signal.lock()
    defer { signal.unlock() }
    while self.epoch == epoch {
      let now = micros()
      if now >= deadline { return true }
      _ = signal.wait(until: Date(timeIntervalSinceNow: Double(deadline - now) / 1e6))
    }
    return false
  }

  /// Sleeps until host bytes arrive. False if the supply went off first.
  func waitForInput(epoch: UInt64) -> Bool {
    signal.lock()
    defer { signal.unlock() }
    while self.epoch == epoch {
      if !received.isEmpty { return true }
      signal.wait()
    }
    return false
  }

  /// Sleeps until the supply goes off: a hung firmware.
  func waitForPowerOff(epoch: UInt64) {
    signal.lock()
    defer { signal.unlock() }
    while self.epoch == epoch { signal.wait() }
  }

  /// Moves the received bytes into `buffer` (emptied first). False if the supply went off.
  func takeReceived(into buffer: inout [UInt8], epoch: UInt64) -> Bool {
    signal.lock()
    defer { signal.unlock() }
    guard self.epoch == epoch else { return false }
    buffer.removeAll(keepingCapacity: true)
    swap(&buffer, &received)
    return true
  }

  /// Whether the firmware of `epoch` is dead (supply off or cycled).
  func isDead(_ epoch: UInt64) -> Bool {
    locked { self.epoch != epoch }
  }
}
