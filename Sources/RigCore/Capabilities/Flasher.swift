// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A firmware image ready to be written: the bytes and where they go.
public struct FirmwareImage: Sendable {
  public var file: URL
  public var loadAddress: UInt32
  public var bytes: [UInt8]
  public init(file: URL, loadAddress: UInt32, bytes: [UInt8]) {
    self.file = file
    self.loadAddress = loadAddress
    self.bytes = bytes
  }

  /// The image hash the firmware reports at boot (`img=`, docs/telemetry.md): SHA-256 of
  /// `bytes`, 64 lowercase hex digits. Computed on each call.
  public var hash: String { ImageHash.of(bytes) }

  /// One past the image's last byte.
  public var endAddress: UInt64 { UInt64(loadAddress) + UInt64(bytes.count) }
}

/// What a flash did, for the run's events and JUnit properties.
public struct FlashReport: Sendable, Codable, Equatable {
  public var bytes: Int
  public var seconds: Double
  public var skipped: Bool
  public var method: String
  /// The image's hash (what the board must report after booting it).
  public var imageHash: String?
  /// The image file, as the user names it.
  public var image: String?
  /// Why the flash was skipped, or what else is worth knowing.
  public var reason: String?
  /// The link's raw byte rate (baud ÷ 10 for 8N1) when the flasher knows it.
  public var linkBytesPerSecond: Double?

  public init(
    bytes: Int, seconds: Double, skipped: Bool, method: String, imageHash: String? = nil,
    image: String? = nil, reason: String? = nil, linkBytesPerSecond: Double? = nil
  ) {
    self.bytes = bytes
    self.seconds = seconds
    self.skipped = skipped
    self.method = method
    self.imageHash = imageHash
    self.image = image
    self.reason = reason
    self.linkBytesPerSecond = linkBytesPerSecond
  }

  /// Image bytes written per second of the whole flash (0 when skipped).
  public var bytesPerSecond: Double {
    skipped || seconds <= 0 ? 0 : Double(bytes) / seconds
  }
}

/// How far a flash has got, for a progress display.
public struct FlashProgress: Sendable, Equatable {
  /// The stage running: `rom`, `erase`, `write`, `verify`, …
  public var stage: String
  /// Bytes done and to do in this stage (0 of 0 for a stage without a byte count).
  public var done: Int
  public var total: Int
  /// Bytes per second so far in this stage.
  public var bytesPerSecond: Double

  public init(stage: String, done: Int, total: Int, bytesPerSecond: Double) {
    self.stage = stage
    self.done = done
    self.total = total
    self.bytesPerSecond = bytesPerSecond
  }
}

/// Puts firmware on the board: the ROM serial downloader, a debug probe, a vendor tool.
/// The board is powered off before and after; the flasher sequences boot-mode pins itself.
public protocol Flasher: Sendable {
  /// How it flashes, for reports: `native SDP + MBoot on /dev/ttyACM0`, `pyocd`.
  var method: String { get }
  /// Writes and verifies `image`; throws a `FlashError` naming the stage that failed.
  func flash(
    _ image: FirmwareImage, deadline: ContinuousClock.Instant,
    progress: (@Sendable (FlashProgress) -> Void)?
  ) async throws -> FlashReport
}

extension Flasher {
  /// Writes and verifies `image` without reporting progress.
  public func flash(_ image: FirmwareImage, deadline: ContinuousClock.Instant) async throws -> FlashReport {
    try await flash(image, deadline: deadline, progress: nil)
  }
}
