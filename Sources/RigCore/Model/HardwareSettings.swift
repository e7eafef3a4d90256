// SPDX-License-Identifier: Apache-2.0

/// The real instruments of a hardware rig file: how rig reaches the DUT's power, reset and
/// boot-mode pins, its console, its result pin and the camera emulator.
///
/// Everything is named by stable names (line names such as `GPIO17`, `/dev/serial/by-id/…`,
/// USB vid:pid:serial) so a rig file survives reboots and a move from a Pi 4 to a Pi 5.
public struct HardwareSettings: Sendable, Equatable {
  public var power: Power
  public var reset: Reset?
  public var bootMode: BootModePins?
  public var console: SerialPort
  public var resultPin: ResultPin?
  public var camera: Camera?
  /// How the board is flashed (`flasher:`), when the rig says.
  public var flasher: Flasher?

  /// Settings as read from a rig file.
  public init(
    power: Power, reset: Reset? = nil, bootMode: BootModePins? = nil, console: SerialPort,
    resultPin: ResultPin? = nil, camera: Camera? = nil, flasher: Flasher? = nil
  ) {
    self.power = power
    self.reset = reset
    self.bootMode = bootMode
    self.console = console
    self.resultPin = resultPin
    self.camera = camera
    self.flasher = flasher
  }
}

extension HardwareSettings {
  /// One GPIO line: `{ chip: gpiochip0, line: GPIO17, active_low: false, drive: push-pull }`.
  public struct GPIOLine: Sendable, Hashable, CustomStringConvertible {
    /// Chip name, path, number or label; nil searches every chip for the line's name.
    public var chip: String?
    /// A line name (`GPIO17`) or an offset on `chip` (`17`).
    public var line: String
    /// Logical "active" drives the pin low.
    public var activeLow: Bool
    public var drive: Drive

    /// A line as a rig file names it.
    public init(
      chip: String? = nil, line: String, activeLow: Bool = false, drive: Drive = .pushPull
    ) {
      self.chip = chip
      self.line = line
      self.activeLow = activeLow
      self.drive = drive
    }

    /// `GPIO17`, `gpiochip0 line 17`, with `(active-low)` when inverted.
    public var description: String {
      var text = chip.map { "\($0) line \(line)" } ?? line
      if activeLow { text += " (active-low)" }
      return text
    }
  }

  /// How an output drives its pin.
  public enum Drive: String, Sendable, Hashable, CaseIterable {
    case pushPull = "push-pull"
    case openDrain = "open-drain"
    case openSource = "open-source"
  }

  /// One FTDI pin: `{ device: "0403:6014:FT123456", pin: 4, mode: bitbang }`.
  public struct FTDIPin: Sendable, Hashable, CustomStringConvertible {
    /// The FTDI chip, in the selector form `rig devices` prints (`0403:6014:FT123456`,
    /// `s:0x0403:0x6014:SERIAL`, `desc:…`).
    public var device: String
    /// CBUS pin (0…3), bit of the bitbang byte (0…7), or MPSSE GPIO (0…15: ADBUS0–7 then
    /// ACBUS0–7).
    public var pin: Int
    public var mode: FTDIPinMode
    /// Logical "active" drives the pin low.
    public var activeLow: Bool

    /// A pin as a rig file names it.
    public init(device: String, pin: Int, mode: FTDIPinMode = .bitbang, activeLow: Bool = false) {
      self.device = device
      self.pin = pin
      self.mode = mode
      self.activeLow = activeLow
    }

    /// `FTDI 0403:6014:FT123456 bitbang pin 4`.
    public var description: String {
      "FTDI \(device) \(mode.rawValue) pin \(pin)" + (activeLow ? " (active-low)" : "")
    }
  }

  /// How an FTDI chip's pins are driven.
  public enum FTDIPinMode: String, Sendable, Hashable, CaseIterable {
    /// Asynchronous bitbang on the data bus (FT232R/H, FT2232H): pins 0…7.
    case bitbang
    /// FT232R/FT230X CBUS bitbang (pins set to I/O mode in the EEPROM): pins 0…3.
    case cbus
    /// MPSSE GPIO of an FT232H/FT2232H: pins 0…15.
    case mpsse

    /// How many pins the mode addresses.
    public var pinCount: Int {
      switch self {
      case .cbus: 4
      case .bitbang: 8
      case .mpsse: 16
      }
    }
  }

  /// A digital output a role drives.
  public enum OutputLine: Sendable, Hashable, CustomStringConvertible {
    case gpio(GPIOLine)
    case ftdi(FTDIPin)

    public var description: String {
      switch self {
      case .gpio(let line): "GPIO \(line)"
      case .ftdi(let pin): pin.description
      }
    }
  }

  /// An external program run without a shell: `[uhubctl, -l, "1-1", -p, "2", -a, on]`.
  public struct Command: Sendable, Hashable, CustomStringConvertible {
    /// The program (looked up on PATH unless it contains a `/`) and its arguments.
    public var argv: [String]
    /// The program is killed when it runs longer.
    public var timeout: Duration

    /// A command with its time limit.
    public init(argv: [String], timeout: Duration = .seconds(10)) {
      self.argv = argv
      self.timeout = timeout
    }

    /// The command as a user would type it, quoting arguments that need it.
    public var description: String {
      argv.map { arg in
        let plain =
          !arg.isEmpty
          && arg.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
              && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || "-_./:=@%+,".unicodeScalars.contains(scalar))
          }
        return plain ? arg : "'" + arg.replacingOccurrences(of: "'", with: "'\\''") + "'"
      }.joined(separator: " ")
    }
  }

  /// The DUT's supply (`power:`).
  public struct Power: Sendable, Equatable {
    /// What switches it.
    public enum Switch: Sendable, Equatable {
      /// A relay or load switch on one output: active = supply on.
      case line(OutputLine)
      /// A program for each direction: a USB hub's port power (`uhubctl`), a PDU's CLI.
      case command(on: Command, off: Command)
    }

    public var control: Switch
    /// Waited after switching on, for the supply to settle.
    public var onDelay: Duration
    /// Waited after switching off, for the supply to discharge.
    public var offDelay: Duration

    /// Power settings as read.
    public init(control: Switch, onDelay: Duration = .zero, offDelay: Duration = .zero) {
      self.control = control
      self.onDelay = onDelay
      self.offDelay = offDelay
    }
  }

  /// The DUT's reset (`reset:`): a line held active for `pulse`, or a program.
  public struct Reset: Sendable, Equatable {
    public enum Control: Sendable, Equatable {
      /// Active holds the DUT in reset (POR_B through a transistor, or wired active-low).
      case line(OutputLine)
      case command(Command)
    }

    public var control: Control
    /// How long the line is held active.
    public var pulse: Duration

    /// Reset settings as read.
    public init(control: Control, pulse: Duration = .milliseconds(100)) {
      self.control = control
      self.pulse = pulse
    }
  }

  /// Boot-mode pins (`boot_mode:`): several outputs and the level of each for every mode.
  public struct BootModePins: Sendable, Equatable {
    /// The outputs in the order the patterns list their levels.
    public var lines: [OutputLine]
    /// Levels per mode name (`internal`, `serial_downloader`), one per line, true = active.
    public var patterns: [String: [Bool]]

    /// Boot-mode pins as read.
    public init(lines: [OutputLine], patterns: [String: [Bool]]) {
      self.lines = lines
      self.patterns = patterns
    }
  }

  /// A serial port (`console:`, `camera.emulator:`): where it is and how to talk to it.
  public struct SerialPort: Sendable, Equatable {
    public enum Address: Sendable, Hashable, CustomStringConvertible {
      /// A device path: `/dev/ttyACM0`, `/dev/serial/by-id/…`, a pseudo-terminal.
      case path(String)
      /// Whichever USB serial port matches.
      case usb(USBMatch)

      public var description: String {
        switch self {
        case .path(let path): path
        case .usb(let match): "USB \(match)"
        }
      }
    }

    public var address: Address
    public var baud: Int
    public var flow: FlowControl
    /// A port that disappears (unplug, re-enumeration) is reopened if it comes back within this;
    /// zero gives up at once.
    public var reconnect: Duration

    /// Port settings as read.
    public init(
      address: Address, baud: Int = 115_200, flow: FlowControl = .none,
      reconnect: Duration = .seconds(10)
    ) {
      self.address = address
      self.baud = baud
      self.flow = flow
      self.reconnect = reconnect
    }
  }

  /// Serial flow control; data is always 8N1.
  public enum FlowControl: String, Sendable, Hashable, CaseIterable {
    case none
    /// Hardware handshake on RTS/CTS.
    case rtscts
    /// Software handshake with XON/XOFF bytes.
    case xonxoff
  }

  /// Which USB serial port: every field given must match.
  public struct USBMatch: Sendable, Hashable, CustomStringConvertible {
    public var vendorID: UInt16?
    public var productID: UInt16?
    public var serial: String?
    /// Text the USB product string must contain, ignoring case (`MCU-LINK`).
    public var product: String?

    /// A USB match; at least one field should be set.
    public init(
      vendorID: UInt16? = nil, productID: UInt16? = nil, serial: String? = nil,
      product: String? = nil
    ) {
      self.vendorID = vendorID
      self.productID = productID
      self.serial = serial
      self.product = product
    }

    /// `1fc9:0143 serial "ABC" product "MCU-LINK"`, with the parts that are set.
    public var description: String {
      var parts: [String] = []
      if vendorID != nil || productID != nil {
        parts.append("\(vendorID.map(Self.hex) ?? "*"):\(productID.map(Self.hex) ?? "*")")
      }
      if let serial { parts.append("serial \"\(serial)\"") }
      if let product { parts.append("product \"\(product)\"") }
      return parts.joined(separator: " ")
    }

    /// Four lowercase hex digits, as lsusb prints USB ids.
    public static func hex(_ id: UInt16) -> String {
      let digits = String(id, radix: 16)
      return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
  }

  /// The DUT's result-ready pin (`result_pin:`), watched for edges.
  public struct ResultPin: Sendable, Equatable {
    public var line: GPIOLine
    public var edge: Edge

    /// A result pin as read.
    public init(line: GPIOLine, edge: Edge = .rising) {
      self.line = line
      self.edge = edge
    }
  }

  /// Which edges of an input count.
  public enum Edge: String, Sendable, Hashable, CaseIterable {
    case rising, falling, both
  }

  /// The camera emulator (`camera: { emulator: … }`): its USB CDC link to the host.
  public struct Camera: Sendable, Equatable {
    public var emulator: SerialPort

    /// Camera settings as read.
    public init(emulator: SerialPort) {
      self.emulator = emulator
    }
  }
}
