// SPDX-License-Identifier: Apache-2.0
import RigCore
import RigSystem

/// A bench without hardware: a virtual RT1062 running people-counting firmware, a SPI camera
/// emulator it reads frames from, and a power switch, driven through the same capability
/// protocols as real hardware. Everything the virtual DUT does follows from `settings.seed`.
///
/// The camera emulator is the C register model and link device side of real emulator firmware;
/// the host reaches it only through the link protocol, in process (`camera`) or on a
/// pseudo-terminal (`emulatorDevicePath`) that the host opens like an emulator's USB CDC port.
public final class SimulatedBench: Sendable {
  public let rig: RigConfiguration
  public let power: SimulatedPowerSwitch
  public let console: SimulatedConsole
  /// The host driver on the in-process link; nil when the emulator is wired to a tty.
  public let camera: LinkCameraEmulator?
  /// The DUT's BOOT_MODE pins.
  public let bootMode: SimulatedBootModeControl
  let board: VirtualBoard
  private let uart: PseudoTerminalUART?
  private let emulatorServer: EmulatorLinkServer?
  private let emulatorPort: InProcessEmulatorPort?

  /// A bench whose DUT console and camera emulator are reached in process.
  public convenience init(settings: SimulationSettings, rig: RigConfiguration) {
    let board = VirtualBoard(settings: settings, name: rig.name)
    let port = InProcessEmulatorPort(core: board.emulator, lock: board.signal)
    self.init(rig: rig, board: board, uart: nil, emulatorServer: nil, emulatorPort: port)
  }

  /// A bench whose DUT console (`consoleDevicePath`) and camera emulator link
  /// (`emulatorDevicePath`) are real pseudo-terminals, which the host opens like any tty (as
  /// `rig run` does). Its flash persists in `settings.flash.file` if set.
  public static func wiredToPseudoTerminal(settings: SimulationSettings, rig: RigConfiguration) throws
    -> SimulatedBench
  {
    let board = VirtualBoard(settings: settings, name: rig.name, flash: try Self.openFlash(settings.flash))
    let uart = try PseudoTerminalUART(board: board)
    let server: EmulatorLinkServer
    do {
      server = try EmulatorLinkServer(core: board.emulator, lock: board.signal) { board.micros() }
    } catch {
      uart.close(board: board)
      throw error
    }
    return SimulatedBench(rig: rig, board: board, uart: uart, emulatorServer: server, emulatorPort: nil)
  }

  private init(
    rig: RigConfiguration, board: VirtualBoard, uart: PseudoTerminalUART?,
    emulatorServer: EmulatorLinkServer?, emulatorPort: InProcessEmulatorPort?
  ) {
    self.rig = rig
    self.board = board
    self.uart = uart
    self.emulatorServer = emulatorServer
    self.emulatorPort = emulatorPort
    power = SimulatedPowerSwitch(board: board)
    console = SimulatedConsole(board: board)
    camera = emulatorPort.map { LinkCameraEmulator(link: $0) }
    bootMode = SimulatedBootModeControl(board: board)
  }

  /// The tty the host opens to reach the DUT's console, when wired through a pseudo-terminal.
  public var consoleDevicePath: String? { uart?.devicePath }

  /// The tty the host opens to reach the camera emulator's link, when wired through one.
  public var emulatorDevicePath: String? { emulatorServer?.devicePath }

  deinit {
    // The board's thread holds the board; with the supply off it ends instead of waiting for ever.
    board.setPower(.off)
  }

  /// The instruments as the runner uses them; the flasher talks to the ROM through `console`.
  /// With the emulator on a tty, pass the host's driver for it.
  public func bench(camera: (any CameraEmulator)? = nil) -> Bench {
    let chosen: any CameraEmulator =
      camera ?? self.camera
      ?? UnavailableCameraEmulator(
        RigError(
          .hardwareUnavailable,
          "camera emulator not connected: the simulated emulator is on "
            + "\(emulatorDevicePath ?? "a tty"); open it there"))
    var bench = Bench(
      rig: rig, power: power, console: console, camera: chosen, flasher: flasher(over: console),
      close: { [self] in await shutdown() })
    bench.bootMode = bootMode
    return bench
  }

  /// Powers the DUT off and closes the console and the emulator link; the bench is unusable
  /// afterwards.
  public func shutdown() async {
    board.setPower(.off)
    await console.close()
    await emulatorPort?.close()
    uart?.close(board: board)
    emulatorServer?.close()
  }
}
