// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The virtual RT1062's ROM, flashloader and FlexSPI NOR (`simulated: { flash: … }` in a rig
/// file): where the flash array persists, how fast the UART line is, and faults to inject.
public struct SimulatedFlashSettings: Sendable, Equatable {
  /// Where the flash array is kept between runs; nil keeps it in memory for the bench's life
  /// (a fresh board carries the factory image).
  public var file: URL?
  /// Size of the NOR (8 MiB on the EVK).
  public var sizeBytes: Int
  /// The UART's line rate while the ROM or the flashloader talks: bytes take 10 bit times each
  /// way. 0 removes the limit.
  public var baud: Int
  /// The flashloader's MaxPacketSize property: the largest data-phase chunk.
  public var maxPacketSize: Int
  /// Time one 4 KiB sector erase takes.
  public var sectorEraseTime: Duration
  /// A HAB-closed part rejects the (unsigned) flashloader at JUMP_ADDRESS.
  public var habClosed: Bool
  public var faults: [SimulatedFlashFault]

  public init(
    file: URL? = nil, sizeBytes: Int = RT1062MemoryMap.defaultFlashSize, baud: Int = 115_200,
    maxPacketSize: Int = 1024, sectorEraseTime: Duration = .zero, habClosed: Bool = false,
    faults: [SimulatedFlashFault] = []
  ) {
    self.file = file
    self.sizeBytes = sizeBytes
    self.baud = baud
    self.maxPacketSize = maxPacketSize
    self.sectorEraseTime = sectorEraseTime
    self.habClosed = habClosed
    self.faults = faults
  }

  /// `${XDG_STATE_HOME:-~/.local/state}/rig/<rig>/flash.bin`: where a rig's flash persists when
  /// its rig file does not say.
  public static func defaultFile(rig: String, environment: [String: String] = ProcessInfo.processInfo.environment)
    -> URL
  {
    let state: URL
    if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
      state = URL(fileURLWithPath: xdg)
    } else {
      let home = environment["HOME"].map { URL(fileURLWithPath: $0) }
        ?? FileManager.default.homeDirectoryForCurrentUser
      state = home.appendingPathComponent(".local/state")
    }
    return state.appendingPathComponent("rig").appendingPathComponent(rig).appendingPathComponent("flash.bin")
  }
}

/// A fault the simulated ROM or flashloader injects while a host flashes it.
public struct SimulatedFlashFault: Sendable, Equatable {
  public enum Kind: String, Sendable, CaseIterable {
    /// The flashloader answers NAK to a host frame (as after line noise); the host resends.
    case nak
    /// A frame from the flashloader carries a wrong CRC; the host answers NAK and it resends.
    case crcError = "crc_error"
    /// The ROM or flashloader stops answering at a command, until power is cycled.
    case noAnswer = "no_answer"
    /// Sector erase fails (status 20101 FLEXSPINOREraseSectorFail unless `status` says).
    case eraseFailed = "erase_failed"
    /// Programming fails (status 20100 FLEXSPINORProgramFail unless `status` says).
    case writeFailed = "write_failed"
    /// One written bit does not stick: the data reads back different from what was written.
    case verifyMismatch = "verify_mismatch"
    /// The flashloader loaded by the ROM never comes up: JUMP_ADDRESS is answered, pings are not.
    case flashloaderSilent = "flashloader_silent"
  }

  /// The commands a fault can aim at, as rig files name them.
  public static let sdpCommands = ["error_status", "write_file", "jump_address"]
  public static let mbootCommands = [
    "ping", "get_property", "fill_memory", "configure_memory", "flash_erase_region",
    "flash_erase_all", "write_memory", "read_memory", "reset",
  ]

  public var kind: Kind
  /// The command it hits (`write_memory`, `error_status`, …); nil: the first command it can.
  public var command: String?
  /// Which frame of that command: 0 is the command frame (or its response), 1 the first data
  /// frame, and so on.
  public var frame: Int
  /// How many times it fires over the bench's life; 0 means every time.
  public var times: Int
  /// The status an erase or write failure reports.
  public var status: UInt32?

  public init(kind: Kind, command: String? = nil, frame: Int = 0, times: Int = 1, status: UInt32? = nil) {
    self.kind = kind
    self.command = command
    self.frame = frame
    self.times = times
    self.status = status
  }
}
