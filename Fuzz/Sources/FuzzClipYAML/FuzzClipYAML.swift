// SPDX-License-Identifier: Apache-2.0
import Foundation
import FuzzSupport
import RigCore

/// A clip's `clip.yaml`, through the configuration reader, with labels and frames in memory
/// (so pattern, first, count, size and format are checked against real files). Invariants
/// (`ConfigFuzzing.check`): the same outcome each time, every issue bounded.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzClipYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let files = InMemoryFiles(ConfigFuzzing.clip(at: "/fuzz/clip", manifest: Fuzz.bytes(data, size)))
  ConfigFuzzing.check { () throws(ConfigError) in
    try ClipLoader.load(URL(fileURLWithPath: "/fuzz/clip"), files: files)
  }
  return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutableRawPointer?)
  -> CInt
{
  Fuzz.writeSeedsIfAsked {
    [
      ConfigFuzzing.clipYAML,
      ConfigFuzzing.clipYAML.replacingOccurrences(of: "gray8", with: "rgb565be"),
      ConfigFuzzing.clipYAML.replacingOccurrences(of: "%06d", with: "%d")
        + "labels: labels.csv\nnotes: { seed: \"1\" }\n",
    ].map { Array($0.utf8) }
  }
  return 0
}
