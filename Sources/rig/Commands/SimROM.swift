// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigSimulator

extension Rig {
  struct SimROM: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "rom",
      abstract: "Serve the virtual RT1062's ROM serial downloader and flashloader on a pseudo-terminal.",
      discussion: """
        Any tool speaking NXP's SDP and MBoot protocols over UART can use it, for example \
        `sdphost -p LINK,115200 -- error-status` or `blhost -p LINK,115200 -- get-property 1` \
        once the flashloader runs. Load the simulator's flashloader (written by \
        --write-flashloader) at 0x20000000 and jump to its IVT at 0x20000400. Runs until \
        interrupted (Ctrl-C).
        """)

    @Option(name: .long, help: "Create this symlink to the pseudo-terminal (like socat's link=).")
    var link: String

    @Option(name: .long, help: "File holding the flash contents (created with the factory image if missing; default: in memory).")
    var flash: String?

    @Option(name: .long, help: "Line rate the ROM and flashloader answer at (0: no limit).")
    var baud: Int = 115_200

    @Option(name: .long, help: "The flashloader's MaxPacketSize.")
    var maxPacketSize: Int = 1024

    @Option(name: .long, help: "Write the simulator's flashloader image (ivt_flashloader.bin layout) to this file.")
    var writeFlashloader: String?

    func run() async throws {
      if let writeFlashloader {
        try Data(ROMImages.flashloader).write(to: URL(fileURLWithPath: writeFlashloader))
        Terminal.out("flashloader: \(writeFlashloader) (\(ROMImages.flashloader.count) bytes, load at 0x20000000, IVT at 0x20000400)")
      }
      let settings = SimulatedFlashSettings(
        file: flash.map { URL(fileURLWithPath: $0) }, baud: baud, maxPacketSize: maxPacketSize)
      let rom: ROMStandalone
      do {
        rom = try ROMStandalone(settings: settings)
      } catch {
        throw Failure.exit(error)
      }
      do {
        try LinkPath.place(link, to: rom.devicePath)
      } catch {
        rom.close()
        throw Failure.exit(error)
      }
      Terminal.out("ROM serial downloader on \(rom.devicePath), linked at \(link), \(baud) baud; Ctrl-C stops it")
      let trap = SignalTrap(notice: "closing the ROM's pseudo-terminal")
      await trap.run {
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
      }
      rom.close()
      LinkPath.remove(link)
      Terminal.out("stopped (\(trap.reason ?? "done"))")
    }
  }
}
