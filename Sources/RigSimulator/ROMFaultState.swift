// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// The flash faults of a bench and how often each has fired: kept for the bench's life, across
/// power cycles, so a fault with `times: 1` hits the first flash only and a retry gets through.
final class ROMFaultState: @unchecked Sendable {
  // @unchecked: `fired` is only touched with `lock` held.
  let faults: [SimulatedFlashFault]
  private var fired: [Int]
  private let lock = NSLock()

  init(_ faults: [SimulatedFlashFault]) {
    self.faults = faults
    fired = Array(repeating: 0, count: faults.count)
  }

  /// The fault of `kind` aimed at this `command` and `frame`, if one is due; it counts as fired.
  func fire(_ kind: SimulatedFlashFault.Kind, command: String, frame: Int = 0) -> SimulatedFlashFault? {
    lock.withLock {
      for (index, fault) in faults.enumerated() where fault.kind == kind {
        guard fault.command == nil || fault.command == command, fault.frame == frame else { continue }
        guard fault.times == 0 || fired[index] < fault.times else { continue }
        fired[index] += 1
        return fault
      }
      return nil
    }
  }
}
