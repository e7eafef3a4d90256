// SPDX-License-Identifier: Apache-2.0
import Dispatch
import RigCore

/// One opened FTDI chip (one interface of a multi-channel chip) shared by every pin rig drives
/// on it. It keeps the direction and level of all those pins and always sends the whole state,
/// so setting one pin never disturbs another. USB transfers run on the device's own queue,
/// never on the caller's thread pool.
final class FTDIDevice: @unchecked Sendable {
  // @unchecked: `context`, `pins` and `chipType` are only touched on `queue`.
  let selector: FTDISelector
  let mode: FTDIPinMode
  private let queue: DispatchQueue
  private var context: FTDIContext?
  private var pins: FTDIPinState
  /// `FT232H`, known once open.
  private(set) var chipType = "FTDI"

  /// Open devices by selector, so pins of one chip share one context.
  private static let open = Locked<[FTDISelector: FTDIDevice]>([:])

  private init(selector: FTDISelector, mode: FTDIPinMode) {
    self.selector = selector
    self.mode = mode
    pins = FTDIPinState(mode: mode)
    queue = DispatchQueue(label: "rig.ftdi.\(selector)")
  }

  /// Claims `pin` as an output at physical `level`, opening the chip if no pin of it is in use.
  static func claim(selector: FTDISelector, mode: FTDIPinMode, pin: Int, level: Bool) throws
    -> FTDIDevice
  {
    try open.withLock { devices in
      let device: FTDIDevice
      if let existing = devices[selector] {
        guard existing.mode == mode else {
          throw RigError(
            .configInvalid,
            "FTDI device \(selector) is used in \(existing.mode.rawValue) mode and in \(mode.rawValue) mode; "
              + "all pins of one chip (one interface) share one mode")
        }
        device = existing
      } else {
        device = FTDIDevice(selector: selector, mode: mode)
      }
      try device.queue.sync { try device.attach(pin: pin, level: level) }
      devices[selector] = device
      return device
    }
  }

  /// Drives `pin` to physical `level` and returns once the chip has been sent the new state.
  func set(pin: Int, level: Bool) async throws {
    try await withCheckedThrowingContinuation {
      (continuation: CheckedContinuation<Void, any Error>) in
      queue.async {
        do {
          try self.drive(pin: pin, level: level)
          continuation.resume()
        } catch {
          continuation.resume(throwing: error)
        }
      }
    }
  }

  /// Gives `pin` back; the chip is closed when no pin of it is left (pins keep their levels).
  func release(pin: Int) {
    Self.open.withLock { devices in
      let empty = queue.sync {
        pins = pins.releasing(pin)
        guard pins.claimed == 0 else { return false }
        // Closing leaves the chip in its mode with the pins at their levels.
        context = nil
        pins = FTDIPinState(mode: mode)
        return true
      }
      if empty, devices[selector] === self { devices[selector] = nil }
    }
  }

  private func attach(pin: Int, level: Bool) throws {
    guard !pins.isClaimed(pin) else {
      throw RigError(
        .configInvalid,
        "pin \(mode.pinName(pin, interface: selector.interface)) of FTDI device \(selector) is used twice"
      )
    }
    let (next, commands) = pins.claiming(pin, level: level)
    if let context {
      try send(context, commands)
    } else {
      let context = try opened()
      try send(context, commands)
      self.context = context
    }
    pins = next
  }

  private func drive(pin: Int, level: Bool) throws {
    guard let context, pins.isClaimed(pin) else {
      throw RigError(
        .internal,
        "pin \(mode.pinName(pin, interface: selector.interface)) of FTDI device \(selector) was released"
      )
    }
    let (next, commands) = pins.setting(pin, level: level)
    try send(context, commands)
    pins = next
  }

  private func opened() throws -> FTDIContext {
    do throws(CLibraryError) {
      let context = try FTDIContext()
      try context.open(selector)
      chipType = context.chipType
      return context
    } catch {
      throw FTDIFailure.error(error, device: selector.description, mode: mode)
    }
  }

  private func send(_ context: FTDIContext, _ commands: [FTDIPinCommand]) throws {
    do throws(CLibraryError) {
      try context.run(commands)
    } catch {
      throw FTDIFailure.error(error, device: "\(chipType) \(selector)", mode: mode)
    }
  }
}
