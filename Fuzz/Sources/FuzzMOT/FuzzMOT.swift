// SPDX-License-Identifier: Apache-2.0
import FuzzSupport
import RigCore

/// MOT Challenge `gt/gt.txt` and `seqinfo.ini`. Invariants: labels cover exactly the frames
/// asked for, no frame counts more people than it has rows, and cumulative in/out never fall.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMOT(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let text = String(decoding: Fuzz.bytes(data, size), as: UTF8.self)
  _ = try? MOTSequenceInfo.parse(text)
  guard let rows = try? MOTImporter.parse(text) else { return 0 }
  let frames = min(rows.map(\.frame).max() ?? 0, 10_000)
  let importer = MOTImporter(
    options: MOTImporter.Options(
      visibilityThreshold: 0.25, regionOfInterest: .init(x: 0, y: 0, width: 500, height: 400),
      countingLine: CountingLine(orientation: .horizontal, position: 200)))
  let labels = importer.labels(from: rows, frameCount: frames)
  Fuzz.require(labels.count == frames, "\(labels.count) labels for \(frames) frames")
  var perFrame = [Int](repeating: 0, count: frames)
  for row in rows where row.frame <= frames { perFrame[row.frame - 1] += 1 }
  for (label, previous) in zip(labels.dropFirst(), labels) {
    Fuzz.require((label.inCount ?? 0) >= (previous.inCount ?? 0), "in fell at \(label.frame)")
    Fuzz.require((label.outCount ?? 0) >= (previous.outCount ?? 0), "out fell at \(label.frame)")
  }
  for label in labels {
    Fuzz.require(label.count <= perFrame[label.frame], "frame \(label.frame) counts too many")
  }
  return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutableRawPointer?)
  -> CInt
{
  Fuzz.writeSeedsIfAsked {
    [
      Array(
        """
        1,1,100,150,40,100,1,1,1.0
        2,1,100,170,40,100,1,1,0.8
        3,1,100,190,40,100,1,1,0.5
        1,2,300,300,30,80,1,1,0.1
        2,2,300,280,30,80,0,1,1
        3,3,10,10,5,5,1,7,1

        """.utf8),
      Array(
        "[Sequence]\nname=MOT17-02\nimDir=img1\nframeRate=30\nseqLength=600\nimWidth=1920\n"
          .utf8) + Array("imHeight=1080\nimExt=.jpg\n".utf8),
    ]
  }
  return 0
}
