// SPDX-License-Identifier: Apache-2.0
import RigCore

/// The simulated faults that apply to one test run, looked up by frame.
struct FaultPlan {
  /// What fires at one frame.
  struct Firing {
    var hang = false
    var unplug = false
    var reset = false
    var garbage = false
    var corruptRecord = false
    var staleRecord = false
    var corruptFrame = false
    var repeatFrame = false
    /// Latency multiplier starting at this frame (1 = none).
    var slowdown = 1.0
    /// Count offset starting at this frame (0 = none).
    var miscount = 0
  }

  /// The faults of the settings for this test, each with its index in the settings.
  private let entries: [(index: Int, fault: SimulatedFault)]
  private let frames: Set<Int>

  init(faults: [SimulatedFault], test: String) {
    entries = faults.enumerated().filter { $0.element.test == nil || $0.element.test == test }
      .map { (index: $0.offset, fault: $0.element) }
    frames = Set(entries.map(\.fault.frame))
  }

  /// Whether anything is planned at `frame` (a cheap check before taking the bench lock).
  func hasFaults(at frame: Int) -> Bool {
    frames.contains(frame)
  }

  /// The faults firing at `frame`; a `once` fault fires only if not in `fired`, and is added.
  func firing(at frame: Int, fired: inout Set<Int>) -> Firing {
    var result = Firing()
    for (index, fault) in entries where fault.frame == frame {
      if fault.once {
        guard !fired.contains(index) else { continue }
        fired.insert(index)
      }
      switch fault.kind {
      case .hang: result.hang = true
      case .unplug: result.unplug = true
      case .reset: result.reset = true
      case .garbage: result.garbage = true
      case .corruptRecord: result.corruptRecord = true
      case .staleRecord: result.staleRecord = true
      case .corruptFrame: result.corruptFrame = true
      case .repeatFrame: result.repeatFrame = true
      case .slowdown: result.slowdown *= fault.factor
      case .miscount: result.miscount += Int(fault.factor.rounded())
      }
    }
    return result
  }
}
