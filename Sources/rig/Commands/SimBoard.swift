// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigSystem
import RigSimulator

extension Rig {
  /// The whole simulated board on its own, reached like real hardware: a console tty, a camera
  /// emulator tty and a power input, so hardware rig files run without hardware.
  struct SimBoard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "board",
      abstract: "Serve the simulated board like hardware: console, camera emulator and power.",
      discussion: """
        The virtual RT1062 with its camera emulator, for running hardware rig files without \
        hardware (Rigs/sim-hardware.yaml). In DIR it creates `console` (a symlink to the DUT's \
        UART on a pseudo-terminal), `camera` (a symlink to the camera emulator's link, \
        docs/emulator-protocol.md) and `power` (a unix socket: `rig sim power DIR on|off` \
        switches the supply, which starts off). The board's knobs (seed, boot time, pace, \
        faults, flash) come from --rig. Stops on SIGINT or SIGTERM (exit 0) and removes what it \
        created.
        """)

    @Option(name: .long, help: "Folder for the console and camera links and the power socket.")
    var dir: String

    @OptionGroup var rigOption: RigOption

    func run() async throws {
      let folder = URL(fileURLWithPath: dir).standardizedFileURL.path
      let console = folder + "/console"
      let camera = folder + "/camera"
      let powerPath = folder + "/" + PowerControlSocket.fileName
      let board: SimulatedBench
      let socket: PowerControlSocket
      var held: [Int32] = []
      let createdFolder: Bool
      do {
        let configuration = try rigOption.load()
        guard let settings = configuration.simulation else {
          throw RigError(
            .usage,
            "\(configuration.file.displayPath) describes hardware; give a simulated rig file "
              + "(simulated: section), such as Rigs/sim.yaml")
        }
        createdFolder = !FileManager.default.fileExists(atPath: folder)
        do {
          try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true)
        } catch {
          throw RigError(.usage, "cannot create \(folder): \(error.localizedDescription)")
        }
        board = try SimulatedBench.wiredToPseudoTerminal(settings: settings, rig: configuration)
        do {
          guard let consoleTTY = board.consoleDevicePath, let cameraTTY = board.emulatorDevicePath
          else { throw RigError(.internal, "the simulated board has no pseudo-terminals") }
          let power = board.power
          socket = try PowerControlSocket(path: powerPath) { request in
            await Self.handle(request, power: power)
          }
          do {
            // The links go through this process's own descriptors (/proc/PID/fd/N), not to
            // /dev/pts/N: when the board is killed they dangle, where a bare /dev/pts/N would
            // soon name another program's pseudo-terminal, which a run reconnecting would open.
            for (link, tty) in [(console, consoleTTY), (camera, cameraTTY)] {
              let fd = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC)
              guard fd >= 0 else {
                throw RigError(.hardwareFault, "cannot open the board's tty", cause: SystemError.last("open", tty))
              }
              held.append(fd)
              try LinkPath.place(link, to: "/proc/\(getpid())/fd/\(fd)")
            }
          } catch {
            socket.stop()
            LinkPath.remove(console)
            for fd in held { close(fd) }
            throw error
          }
          Terminal.out(
            "simulated board '\(configuration.name)' (seed \(settings.seed)), power off\n"
              + "  console: \(console) → \(consoleTTY)\n"
              + "  camera:  \(camera) → \(cameraTTY)\n"
              + "  power:   \(powerPath) (rig sim power \(folder) on|off)\n"
              + "stop with Ctrl-C")
        } catch {
          await board.shutdown()
          throw error
        }
      } catch {
        throw Failure.exit(error)
      }
      let trap = SignalTrap(notice: "switching the board off and removing its links")
      await trap.run {
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
      }
      socket.stop()
      LinkPath.remove(console)
      LinkPath.remove(camera)
      await board.shutdown()
      for fd in held { close(fd) }
      if createdFolder { try? FileManager.default.removeItem(atPath: folder) }
      Terminal.out(
        "stopped by \(trap.reason ?? "a signal"); removed \(console), \(camera), \(powerPath)")
    }

    /// One request on the power socket: switch, or tell the state.
    private static func handle(_ request: String, power: SimulatedPowerSwitch) async -> String {
      switch request {
      case "on", "off":
        let state: PowerState = request == "on" ? .on : .off
        do {
          try await power.set(state)
        } catch {
          return "error: \((error as? RigError)?.message ?? ErrorText.describe(error))"
        }
        Terminal.out("power \(request)")
        return request
      case "status":
        return power.isOn ? "on" : "off"
      default:
        return "error: unknown request '\(request)'; send on, off or status"
      }
    }
  }
}
