// SPDX-License-Identifier: Apache-2.0
import Foundation
import FuzzSupport
import RigCore

/// Suite files, through the configuration reader, with the clip they name in memory.
/// Invariants (`ConfigFuzzing.check`): the same outcome each time, every issue bounded.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSuiteYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  var contents = ConfigFuzzing.clip(at: "/fuzz/clips/corridor")
  contents["/fuzz/suite.yaml"] = Fuzz.bytes(data, size)
  let files = InMemoryFiles(contents)
  ConfigFuzzing.check { () throws(ConfigError) in
    try SuiteLoader.load(URL(fileURLWithPath: "/fuzz/suite.yaml"), files: files)
  }
  return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutableRawPointer?)
  -> CInt
{
  Fuzz.writeSeedsIfAsked {
    [
      """
      suite: nightly
      defaults:
        timeout: 60s
        retries: 1
        limits: { count.exact_match: ">= 0.90", count.mae: "<= 0.15", latency.p95_ms: "<= 45" }
      tests:
        - { name: corridor, clip: clips/corridor, tags: [smoke] }
        - name: corridor-again
          clip: ./clips/corridor
          limits: { count.max_abs_error: "== 0", ram.peak_kib: off }
          emulator_faults: [{ kind: drop, frame: 2 }]
        - { name: skipped, clip: clips/corridor, skip: "waiting for a fix" }

      """,
      "suite: s\nfirmware: { image: fw.hex, address: 0x60000000 }\ntests:\n  - { name: a, clip: clips/corridor }\n",
      "suite: s\nbase: &b { clip: clips/corridor, timeout: 5s }\ntests:\n  - { <<: *b, name: a }\n",
    ].map { Array($0.utf8) }
  }
  return 0
}
