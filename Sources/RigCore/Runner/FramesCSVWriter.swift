// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Writes a test's per-frame results as CSV, one row per frame in clip order, as they resolve.
/// Each row reaches the kernel as soon as it is known (one `write(2)`, a few microseconds), so a
/// `kill -9` of rig leaves every row of the frames already judged for `rig report` to attach.
final class FramesCSVWriter {
  static let header =
    "frame,label_count,count,count_error,label_in,in,label_out,out,latency_ms,capture_ms,invoke_ms,"
    + "stack_bytes,heap_bytes,sent_crc32,read_crc32,status,finding\n"

  private let file: any ArtifactLog
  private var buffer: [UInt8] = []
  private let cpuHz: Int
  /// The first write that failed (disk full): reported once the test ends.
  private(set) var writeError: (any Error)?

  init(log: any ArtifactLog, cpuHz: Int) {
    file = log
    self.cpuHz = cpuHz
    buffer.append(contentsOf: Self.header.utf8)
    flush()
  }

  func write(_ o: FrameOutcome) {
    var row = "\(o.index),\(o.label.count),"
    if let r = o.report {
      let ms = { (cycles: UInt32) in MetricFormat.format3(Double(cycles) * 1000 / Double(max(self.cpuHz, 1))) }
      row += "\(r.count),\(r.count - o.label.count),"
      row += "\(o.label.inCount.map(String.init) ?? ""),\(r.inCount),"
      row += "\(o.label.outCount.map(String.init) ?? ""),\(r.outCount),"
      row += "\(MetricFormat.format3(o.latencyMilliseconds ?? 0)),"
      row += "\(ms(r.cycles.capture)),\(ms(r.cycles.invoke)),\(r.stackHighWater),\(r.heapHighWater),"
      row += "\(hex8(o.sentCRC)),\(hex8(r.frameCRC)),\(r.status),\(o.finding.rawValue)\n"
    } else {
      row += ",,\(o.label.inCount.map(String.init) ?? ""),,\(o.label.outCount.map(String.init) ?? ""),"
      row += ",,,,,,\(hex8(o.sentCRC)),,,\(o.finding.rawValue)\n"
    }
    buffer.append(contentsOf: row.utf8)
    flush()
  }

  func flush() {
    guard !buffer.isEmpty else { return }
    if writeError == nil {
      do { try file.append(buffer) } catch { writeError = error }
    }
    buffer.removeAll(keepingCapacity: true)
  }

  func close() {
    flush()
    file.close()
  }
}
