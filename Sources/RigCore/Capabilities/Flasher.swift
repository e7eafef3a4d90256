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
}

/// What a flash did, for the run's events and JUnit properties.
public struct FlashReport: Sendable, Codable, Equatable {
  public var bytes: Int
  public var seconds: Double
  public var skipped: Bool
  public var method: String
  public init(bytes: Int, seconds: Double, skipped: Bool, method: String) {
    self.bytes = bytes
    self.seconds = seconds
    self.skipped = skipped
    self.method = method
  }
}

/// Puts firmware on the board: the ROM serial downloader, a debug probe, a vendor tool.
/// The board is powered off before and after; the flasher sequences boot-mode pins itself.
public protocol Flasher: Sendable {
  func flash(_ image: FirmwareImage, deadline: ContinuousClock.Instant) async throws -> FlashReport
}
