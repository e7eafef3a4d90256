// SPDX-License-Identifier: Apache-2.0

/// Why a console line that looked like a telemetry record was not accepted.
public enum TelemetryDamage: Error, Sendable, Equatable, CustomStringConvertible {
  /// The checksum field does not match the record's bytes: damaged on the wire.
  case badChecksum
  /// The record does not follow the v1 grammar; the text says where.
  case malformed(String)
  /// Longer than a record line may be (256 bytes) or than the decoder's line limit: cut.
  case tooLong
  /// A `~T<n>` record of another protocol version.
  case unsupportedVersion(Int)

  public var description: String {
    switch self {
    case .badChecksum:
      "checksum mismatch"
    case .malformed(let reason):
      "malformed: \(reason)"
    case .tooLong:
      "line too long (a record line is at most \(TelemetryFormat.maxRecordLine) bytes)"
    case .unsupportedVersion(let version):
      "protocol version \(version) is not supported (rig reads version \(TelemetryFormat.version))"
    }
  }
}
