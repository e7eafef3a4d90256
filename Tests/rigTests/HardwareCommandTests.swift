// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigSystem
import RigTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The bench tools, run as the real `rig` binary on this machine, which has no GPIO chips, no
/// FTDI chips and no USB serial ports.
@Suite("rig devices, doctor, power and console", .timeLimit(.minutes(TestTime.minutes(2))))
struct HardwareCommandTests {
  /// A rig file naming hardware this machine does not have.
  static let absentBench = """
    rig: bench-absent
    board: mimxrt1060-evk
    timing: { power_off: 100ms }
    power:     { gpio: { line: GPIO17 }, on_delay: 50ms }
    reset:     { gpio: { line: GPIO27, active_low: true }, pulse: 100ms }
    boot_mode: { gpio: { lines: [GPIO5, GPIO6] }, serial_downloader: [0, 1], internal: [1, 0] }
    console:   { port: /dev/serial/by-id/usb-NXP_Semiconductors_MCU-LINK_on-board_RIGTEST-if02 }
    result_pin: { gpio: { line: GPIO22 } }
    """

  @Test("rig devices --json prints valid JSON with each kind of device, even with none attached")
  func devicesJSON() async throws {
    let rig = try RigCommand()
    let result = try await rig.run(["devices", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let ports = try #require(json["serial_ports"] as? [[String: Any]])
    for port in ports {
      #expect((port["path"] as? String)?.hasPrefix("/dev/") == true)
      #expect(port["transport"] is String)
    }
    let gpio = try #require(json["gpio"] as? [String: Any])
    #expect(gpio["chips"] is [Any])
    #expect((gpio["api"] as? Int).map { [1, 2].contains($0) } == true)
    #expect(json["ftdi_devices"] is [Any])
    #expect(json["problems"] is [Any])

    let text = try await rig.run(["devices"])
    #expect(text.status == 0)
    #expect(text.stdout.contains("Serial ports ("))
    #expect(text.stdout.contains("GPIO chips ("))
    #expect(text.stdout.contains("FTDI devices ("))
  }

  @Test("the shipped hardware rig files are valid")
  func shippedRigs() async throws {
    let rig = try RigCommand()
    let result = try await rig.run(["validate", "Rigs/mimxrt1060-evk.yaml", "Rigs/teensy41.yaml"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("ok  Rigs/mimxrt1060-evk.yaml: rig 'evk-01' (mimxrt1060-evk)"))
    #expect(result.stdout.contains("ok  Rigs/teensy41.yaml: rig 'teensy-01' (teensy41)"))
  }

  @Test("rig doctor on absent hardware exits 69, one line per check naming each missing device")
  func doctorAbsent() async throws {
    let rig = try RigCommand()
    let file = try rig.write("bench-absent.yaml", Self.absentBench)
    let result = try await rig.run(["doctor", "--rig", file.path])
    #expect(result.status == 69, "\(result.stdout)\n\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first?.hasPrefix("ok    rig file ") == true)
    for (role, line) in [
      ("power", "GPIO17"), ("reset", "GPIO27"), ("boot-mode line 1", "GPIO5"),
      ("boot-mode line 2", "GPIO6"),
      ("result pin", "GPIO22"),
    ] {
      #expect(
        lines.contains {
          $0.hasPrefix("FAIL  \(role) GPIO \(line): GPIO line '\(line)' not found")
        },
        "\(role)\n\(result.stdout)")
    }
    #expect(
      lines.contains {
        $0.hasPrefix(
          "FAIL  console /dev/serial/by-id/usb-NXP_Semiconductors_MCU-LINK_on-board_RIGTEST-if02: not found (fix: plug in"
        )
      })
    #expect(lines.last == "6 problems found")
  }

  @Test("rig doctor on a wrong rig file exits 78 with the file's problems")
  func doctorBadFile() async throws {
    let rig = try RigCommand()
    let file = try rig.write(
      "bad.yaml",
      "rig: b\nboard: x\npower: { gpio: { line: GPIO17 } }\nconsle: { port: /dev/ttyACM0 }\n")
    let result = try await rig.run(["doctor", "--rig", file.path])
    #expect(result.status == 78)
    #expect(
      result.stderr.contains("bad.yaml:4:1: consle: unknown key 'consle' (did you mean 'console'?)")
    )
  }

  @Test(
    "rig power on absent hardware exits 69 naming the device and what to check; nothing crashes")
  func powerAbsent() async throws {
    let rig = try RigCommand()
    let file = try rig.write("bench-absent.yaml", Self.absentBench)
    for action in ["on", "off", "cycle", "reset"] {
      let result = try await rig.run(["power", action, "--rig", file.path])
      #expect(result.status == 69, "\(action): \(result.stderr)")
      let part =
        action == "reset"
        ? "the reset line (GPIO GPIO27 (active-low))" : "the power switch (GPIO GPIO17)"
      #expect(
        result.stderr.contains(
          "error: rig 'bench-absent' (\(file.path)): cannot open \(part): GPIO line"),
        "\(action): \(result.stderr)")
      #expect(result.stderr.contains("this machine has no GPIO chips"))
    }
  }

  @Test("rig power through commands: on, off and cycle run them; a missing program is exit 69")
  func powerCommands() async throws {
    let rig = try RigCommand()
    let marker = rig.scratch.appendingPathComponent("power-state").path
    let file = try rig.write(
      "hub.yaml",
      """
      rig: hub
      board: teensy41
      timing: { power_off: 10ms }
      power: { command: { on: [sh, -c, "echo on >> \(marker)"], off: [sh, -c, "echo off >> \(marker)"], timeout: 5s } }
      console: { port: /dev/ttyACM99 }
      """)
    for action in ["on", "off", "cycle"] {
      let result = try await rig.run(["power", action, "--rig", file.path])
      #expect(result.status == 0, "\(action): \(result.stderr)")
    }
    #expect(try String(contentsOfFile: marker, encoding: .utf8) == "on\noff\noff\non\n")

    let missing = try rig.write(
      "hub-missing.yaml",
      """
      rig: hub2
      board: teensy41
      power: { command: { on: [uhubctl-not-here, -a, on], off: [uhubctl-not-here, -a, off] } }
      console: { port: /dev/ttyACM99 }
      """)
    let result = try await rig.run(["power", "on", "--rig", missing.path])
    #expect(result.status == 69)
    #expect(result.stderr.contains("program 'uhubctl-not-here' not found on PATH"))
  }

  @Test("rig power refuses the simulated bench with exit 64")
  func powerSimulated() async throws {
    let rig = try RigCommand()
    let result = try await rig.run(["power", "on", "--rig", "Rigs/sim.yaml"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("describes the simulated bench"))
  }

  @Test("rig console on absent hardware exits 69 naming the console")
  func consoleAbsent() async throws {
    let rig = try RigCommand()
    let file = try rig.write("bench-absent.yaml", Self.absentBench)
    let result = try await rig.run(["console", "--rig", file.path])
    #expect(result.status == 69)
    #expect(
      result.stderr.contains(
        "cannot open the console (/dev/serial/by-id/usb-NXP_Semiconductors_MCU-LINK_on-board_RIGTEST-if02): "
          + "serial port /dev/serial/by-id/usb-NXP_Semiconductors_MCU-LINK_on-board_RIGTEST-if02 not found"
      ))
  }

  @Test("rig console decodes the simulated DUT's records and sends typed host commands")
  func consoleSimulated() async throws {
    let rig = try RigCommand()
    let session = try await ConsoleProcess(rig, stdin: .pipe)
    #expect(await session.waitFor("[boot] firmware "), "\(session.stdout)\n\(session.stderr)")
    session.type("hello\n")
    #expect(await session.waitFor("[hello nonce "), "\(session.stdout)")
    session.type("start corridor\n")
    #expect(await session.waitFor("[ack] start"), "\(session.stdout)")
    session.type("stats\n")
    #expect(await session.waitFor("[summary] 0 frames"), "\(session.stdout)")
    session.type("~.\n")
    #expect(await session.wait() == 0, "\(session.stderr)")
    let out = session.stdout
    #expect(out.contains("> ~H1 hello "))
    #expect(out.contains("> ~H1 start ") && out.contains(" test=corridor *"))
  }

  @Test(
    "rig console on a hardware rig whose console is a pseudo-terminal: termios, named in the log")
  func consoleOverPseudoTerminal() async throws {
    let rig = try RigCommand()
    let board = try TestTerminal()
    let name = try #require(board.devicePath)
    let link = rig.scratch.appendingPathComponent("usb-Fake_Board_0001-if00").path
    #expect(symlink(name, link) == 0)
    let file = try rig.write(
      "pty-bench.yaml",
      """
      rig: pty-bench
      board: mimxrt1060-evk
      power: { command: { on: [/bin/true], off: [/bin/true] } }
      console: { port: \(link), reconnect: 0s }
      """)
    let session = try await ConsoleProcess(rig, stdin: .pipe, rigFile: file.path, verbose: true)
    #expect(await session.waitFor("console of rig 'pty-bench'"), "\(session.stderr)")
    board.type(Array("booting counting firmware\r\n".utf8))
    #expect(await session.waitFor("  booting counting firmware"), "\(session.stdout)")
    session.type("stats\n")
    #expect(await session.waitFor("> ~H1 stats "), "\(session.stdout)")
    session.type("~.\n")
    #expect(await session.wait() == 0, "\(session.stderr)")
    #expect(
      session.stderr.contains(
        "info rig: [RigHardware] console: \(link) → \(name) via termios (a pseudo-terminal, which libserialport cannot open)"
      ))
  }

  @Test("rig console on a terminal quits on Ctrl-C and leaves the terminal as it found it")
  func consoleRestoresTerminal() async throws {
    let rig = try RigCommand()
    let terminal = try TestTerminal()
    let before = try terminal.settings()
    #expect(before.c_lflag & tcflag_t(ICANON | ECHO) == tcflag_t(ICANON | ECHO))
    let session = try await ConsoleProcess(rig, stdin: .terminal(terminal))
    #expect(await session.waitFor("[boot] firmware "), "\(session.stdout)\n\(session.stderr)")
    // While the console runs, the terminal reads key by key without echo.
    #expect(
      await TestProcess.eventually(within: .seconds(5)) {
        ((try? terminal.settings().c_lflag) ?? 0) & tcflag_t(ICANON | ECHO) == 0
      })
    terminal.type([0x03])
    #expect(await session.wait() == 0, "\(session.stderr)")
    let after = try terminal.settings()
    #expect(after.c_lflag == before.c_lflag)
    #expect(after.c_iflag == before.c_iflag)
  }
}

/// A pseudo-terminal standing in for the user's terminal: cooked, as a login terminal is.
final class TestTerminal: Sendable {
  let terminal: PseudoTerminal
  let device: Int32
  var controller: Int32 { terminal.controller }
  var devicePath: String? { terminal.devicePath }

  init() throws {
    terminal = try PseudoTerminal(raw: false)
    device = open(terminal.devicePath, O_RDWR | O_NOCTTY)
    guard device >= 0 else { throw SystemError.last("open", terminal.devicePath) }
  }

  deinit {
    close(device)
    terminal.close()
  }

  func settings() throws -> termios {
    var tio = termios()
    guard tcgetattr(device, &tio) == 0 else { throw CocoaError(.fileReadUnknown) }
    return tio
  }

  func type(_ bytes: [UInt8]) {
    _ = bytes.withUnsafeBytes { write(controller, $0.baseAddress, $0.count) }
  }
}

/// `rig console --rig Rigs/sim.yaml` with a stdin the test types into.
final class ConsoleProcess: Sendable {
  enum Input {
    case pipe
    case terminal(TestTerminal)
  }

  let child: TestProcess
  /// The write end of the stdin pipe, or the terminal the test types into.
  private let typing: Int32
  private let terminal: TestTerminal?

  init(
    _ rig: RigCommand, stdin: Input, rigFile: String = "Rigs/sim.yaml", verbose: Bool = false
  ) async throws {
    let arguments = ["console", "--rig", rigFile] + (verbose ? ["-v"] : [])
    switch stdin {
    case .pipe:
      var ends: [Int32] = [-1, -1]
      guard pipe(&ends) == 0 else { throw SystemError.last("pipe") }
      _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
      defer { close(ends[0]) }
      typing = ends[1]
      terminal = nil
      child = try await rig.start(arguments, input: ends[0])
    case .terminal(let t):
      typing = -1
      terminal = t
      child = try await rig.start(arguments, input: t.device)
    }
  }

  deinit {
    if typing >= 0 { close(typing) }
  }

  var stdout: String { child.stdout }
  var stderr: String { child.stderr }

  func type(_ text: String) {
    if let terminal {
      terminal.type(Array(text.utf8))
    } else {
      _ = Array(text.utf8).withUnsafeBytes { write(typing, $0.baseAddress, $0.count) }
    }
  }

  func waitFor(_ text: String) async -> Bool {
    await TestProcess.eventually(within: .seconds(20)) { self.stdout.contains(text) }
  }

  /// The exit status; the process is killed if it has not exited within 20 s.
  func wait() async -> Int32? {
    await child.wait(timeout: .seconds(20))
  }
}
