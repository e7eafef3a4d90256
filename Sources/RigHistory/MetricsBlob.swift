// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// A test's metrics as one small blob: the metric's name, a 0 byte, and the value as 8 bytes of
/// little-endian IEEE 754, for each metric. Names rather than numbers, so a metric added or
/// reordered in a later rig never changes what an old row means; one blob rather than a row per
/// metric, so the trends of 1,000 nightlies read 100,000 rows, not 2,000,000.
enum MetricsBlob {
  static func encode(_ metrics: [MetricValue]) -> Data {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(metrics.count * 24)
    for metric in metrics {
      bytes += Array(metric.metric.rawValue.utf8)
      bytes.append(0)
      withUnsafeBytes(of: metric.value.bitPattern.littleEndian) { bytes += $0 }
    }
    return Data(bytes)
  }

  /// The metrics in `data`; names this rig does not know (written by a newer one) are skipped.
  static func decode(_ data: Data) -> [MetricValue] {
    var metrics: [MetricValue] = []
    data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
      var position = 0
      while position < raw.count {
        guard let end = raw[position...].firstIndex(of: 0), end + 9 <= raw.count else { return }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: raw[position..<end]), as: UTF8.self)
        var bits: UInt64 = 0
        for k in 0..<8 { bits |= UInt64(raw[end + 1 + k]) << (8 * UInt64(k)) }
        position = end + 9
        if let metric = Metric(rawValue: name) {
          metrics.append(MetricValue(metric, Double(bitPattern: bits)))
        }
      }
    }
    return metrics
  }
}
