// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

extension SimulatedBench {
  /// The native flasher for this bench, speaking SDP and MBoot to the virtual ROM over
  /// `console` (the pseudo-terminal link `rig run` opens, or the in-process console).
  public func flasher(over console: any SerialLink, echo: (@Sendable (String) -> Void)? = nil) -> NativeFlasher {
    let flash = rig.simulation?.flash ?? SimulatedFlashSettings()
    // Short waits: the simulated ROM answers at once, so a silent one is a fault to report soon.
    let settings = NativeFlasherSettings(
      baud: flash.baud, romTimeout: .milliseconds(500), pingTimeout: .seconds(2), commandTimeout: .seconds(2))
    return NativeFlasher(
      console: console, power: power, bootMode: bootMode, settings: settings,
      flashloaderImage: ROMImages.flashloader, powerOffTime: rig.timing.powerOffTime, echo: echo)
  }

  /// The virtual board's FlexSPI NOR.
  public var flash: FlashArray { board.rom.flash }

  /// The flash array of `settings`: in memory, or opened from (or created in) its file.
  static func openFlash(_ settings: SimulatedFlashSettings) throws -> FlashArray? {
    guard let file = settings.file else { return nil }
    return try FlashArray(size: settings.sizeBytes, file: file, initial: ROMImages.factoryFirmware)
  }
}
