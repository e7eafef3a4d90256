// SPDX-License-Identifier: Apache-2.0
import RigCore

extension MBootCommand {
  /// The name a rig file's flash fault uses for this command (`faults:` of a simulated rig).
  var faultName: String {
    switch self {
    case .flashEraseAll: "flash_erase_all"
    case .flashEraseRegion: "flash_erase_region"
    case .readMemory: "read_memory"
    case .writeMemory: "write_memory"
    case .fillMemory: "fill_memory"
    case .getProperty: "get_property"
    case .execute: "execute"
    case .reset: "reset"
    case .setProperty: "set_property"
    case .configureMemory: "configure_memory"
    case .other: "other"
    }
  }
}
