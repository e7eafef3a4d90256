// SPDX-License-Identifier: Apache-2.0

extension FrameAccounting {
  private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// Reads the counters present and leaves the others 0, so event logs written before a counter
  /// existed still load (`rig report` on an older run).
  public init(from decoder: any Decoder) throws {
    self.init()
    let c = try decoder.container(keyedBy: Key.self)
    func read(_ name: String) throws -> Int {
      try c.decodeIfPresent(Int.self, forKey: Key(stringValue: name)) ?? 0
    }
    sent = try read("sent")
    matched = try read("matched")
    missing = try read("missing")
    duplicated = try read("duplicated")
    unknown = try read("unknown")
    deviceErrors = try read("deviceErrors")
    badChecksum = try read("badChecksum")
    staleNonce = try read("staleNonce")
    logLines = try read("logLines")
    served = try read("served")
    dropped = try read("dropped")
    damaged = try read("damaged")
    truncated = try read("truncated")
    badLength = try read("badLength")
    captureStuck = try read("captureStuck")
    notSent = try read("notSent")
  }
}
