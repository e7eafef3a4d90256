// SPDX-License-Identifier: Apache-2.0
import RigCore

/// What the virtual RT1062 boots from and flashes into: its FlexSPI NOR, the ROM and flashloader
/// settings, and the state of the flash faults (kept across power cycles).
final class ROMHardware: Sendable {
  let flash: FlashArray
  let settings: SimulatedFlashSettings
  let faults: ROMFaultState

  init(settings: SimulatedFlashSettings, flash: FlashArray? = nil) {
    self.settings = settings
    self.flash = flash ?? FlashArray(size: settings.sizeBytes, initial: ROMImages.factoryFirmware)
    faults = ROMFaultState(settings.faults)
  }
}
