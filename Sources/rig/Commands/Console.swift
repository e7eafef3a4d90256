// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigSystem
import RigHardware

extension Rig {
  struct Console: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Watch a DUT's console: telemetry records decoded, log lines as they come.",
      discussion: """
        Prints one readable line per telemetry record and every log line. Type a host command \
        (hello, start NAME, stop, stats) to send it with a run nonce, or any other line to send it \
        as it is. Quit with ~. at the start of a line, Ctrl-C or Ctrl-D; the terminal is restored. \
        On the simulated bench the virtual DUT is switched on (and off at the end).
        """)

    @Option(name: .long, help: "The rig file of the bench.")
    var rig: String

    @Flag(help: "Cycle the DUT's power once connected, to watch it boot (hardware rigs).")
    var powerCycle = false

    @Flag(name: .shortAndLong, help: "Show on standard error what the hardware layer chooses.")
    var verbose = false

    func run() async throws {
      do {
        let configuration = try RigLoader.load(reference: rig, files: LocalFileAccess())
        let lock = try RigLock.acquire(rig: configuration, purpose: "rig console")
        defer { lock.release() }
        let connection = try await Connection.open(configuration, powerCycle: powerCycle, verbose: verbose)
        let screen = Screen(interactive: isatty(STDIN_FILENO) == 1)
        screen.line(
          "console of rig '\(configuration.name)': \(connection.description). "
            + "Type hello, start NAME, "
            + "stop, stats or any line; ~. or Ctrl-C quits.")
        let failure = await Monitor(
          link: connection.link, screen: screen, timing: configuration.timing
        ).run()
        screen.restore()
        await connection.close()
        if let failure { throw failure }
      } catch {
        throw Failure.exit(error)
      }
    }
  }
}

extension Rig.Console {
  /// The console link and whatever else had to be opened to use it.
  struct Connection {
    var link: any SerialLink
    var description: String
    var close: @Sendable () async -> Void

    static func open(_ rig: RigConfiguration, powerCycle: Bool, verbose: Bool) async throws -> Connection {
      if rig.simulation != nil {
        // The virtual DUT only talks when powered; switch it on as a bench would be.
        let (bench, kind) = try await BenchFactory.open(rig)
        try await bench.power.set(.on)
        return Connection(link: bench.console, description: kind) {
          try? await bench.power.set(.off)
          await bench.close()
        }
      }
      let parts: Set<HardwareBench.Part> = powerCycle ? [.power, .console] : [.console]
      // Requested off, which is the first half of the cycle.
      let opened = try await HardwareBench.open(
        rig, parts: parts, powerInitial: .off, logger: verbose ? BenchFactory.verboseLogger : BenchFactory.logger)
      guard let link = opened.console else {
        throw RigError(.internal, "the console was not opened")
      }
      if powerCycle, let power = opened.power {
        do {
          try await power.set(.off)
          try await Task.sleep(for: rig.timing.powerOffTime)
          try await power.set(.on)
        } catch {
          await opened.close()
          throw error
        }
      }
      let address = rig.hardware.map { "\($0.console.address)" } ?? link.name
      return Connection(link: link, description: address) { await opened.close() }
    }
  }

  /// Reads the console and the keyboard until the user quits or the console fails.
  struct Monitor {
    let link: any SerialLink
    let screen: Screen
    let timing: BenchTiming

    enum Outcome: Sendable {
      case quit
      case failed(any Error)
    }

    /// Runs until quit; the error that ended it, if one did.
    func run() async -> (any Error)? {
      let keyboard: Keyboard
      do { keyboard = try Keyboard.start() } catch { return error }
      defer { keyboard.finish() }
      // Any signal that would end rig ends the session the way `~.` does, so the terminal is
      // restored (a dropped SSH session too).
      SignalRelay.shared.attach { _ in keyboard.finish() }
      defer { SignalRelay.shared.detach() }
      let outcome = await withTaskGroup(of: Outcome.self) { group -> Outcome in
        group.addTask { await readConsole() }
        group.addTask { await readKeyboard(keyboard) }
        let first = await group.next() ?? .quit
        group.cancelAll()
        return first
      }
      if case .failed(let error) = outcome { return error }
      return nil
    }

    private func readConsole() async -> Outcome {
      var decoder = TelemetryDecoder()
      var format = Format()
      do {
        while !Task.isCancelled {
          guard let chunk = try await link.read(until: .now + .seconds(1)) else { continue }
          decoder.decode(chunk) { item in
            if let text = format.line(for: item) { screen.line(text) }
          }
        }
      } catch {
        if !(error is CancellationError) { return .failed(error) }
      }
      return .quit
    }

    private func readKeyboard(_ keyboard: Keyboard) async -> Outcome {
      var editor = LineEditor()
      var nonce: UInt32?
      while !Task.isCancelled {
        guard let bytes = try? await keyboard.input.next(until: .now + .seconds(3600))?.bytes else {
          if keyboard.input.isFinished { return .quit }
          continue
        }
        for byte in bytes {
          switch editor.feed(byte) {
          case .none: break
          case .quit: return .quit
          case .edited: screen.typing(editor.text)
          case .line(let text):
            screen.typing("")
            guard let input = Input(text, nonce: &nonce) else { continue }
            screen.line("> \(input.display)")
            do {
              try await link.write(input.bytes, deadline: .now + timing.commandTimeout)
            } catch {
              return .failed(error)
            }
          }
        }
      }
      return .quit
    }
  }

  /// A line the user typed: a host command with the session's nonce, or raw text.
  struct Input {
    var bytes: [UInt8]
    var display: String

    /// Nil for an empty line. `hello` picks a fresh nonce; later commands reuse it.
    init?(_ text: String, nonce: inout UInt32?) {
      let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
      guard let first = words.first else { return nil }
      func current() -> UInt32 {
        if let nonce { return nonce }
        let fresh = UInt32.random(in: 1...UInt32.max)
        nonce = fresh
        return fresh
      }
      let command: TelemetryCommand?
      switch (first, words.count) {
      case ("hello", 1):
        nonce = UInt32.random(in: 1...UInt32.max)
        command = .hello(nonce: current())
      case ("start", 2): command = .start(nonce: current(), test: words[1])
      case ("stop", 1): command = .stop(nonce: current())
      case ("stats", 1): command = .stats(nonce: current())
      default: command = nil
      }
      if let command {
        bytes = TelemetryEncoder.encode(command)
        display = String(decoding: bytes.prefix { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self)
      } else {
        bytes = Array((text + "\r\n").utf8)
        display = text
      }
    }
  }

  /// Turns console items into one readable line each.
  struct Format {
    /// The DUT's clock from its last identity, to turn cycles into milliseconds.
    var cpuHz: Int?

    mutating func line(for item: ConsoleItem) -> String? {
      switch item {
      case .log(let text, _):
        return text.isEmpty ? nil : "  \(text)"
      case .damaged(let text, let reason, _):
        return "[damaged record: \(reason)] \(text)"
      case .record(let message, _):
        return record(message)
      }
    }

    mutating func record(_ message: TelemetryMessage) -> String {
      switch message.record {
      case .boot(let identity):
        cpuHz = identity.cpuHz
        return "[boot] " + Self.identity(identity)
      case .hello(let identity):
        cpuHz = identity.cpuHz
        return "[hello nonce \(Self.hex(message.nonce))] " + Self.identity(identity)
      case .frame(let f):
        var text = "[frame \(f.sequence)] count \(f.count), in \(f.inCount) out \(f.outCount), "
        if let cpuHz, cpuHz > 0 {
          let ms = { (cycles: UInt64) in
            MetricFormat.number((Double(cycles) / Double(cpuHz) * 1e5).rounded() / 100)
          }
          text +=
            "\(ms(f.cycles.total)) ms (capture \(ms(UInt64(f.cycles.capture))), "
            + "invoke \(ms(UInt64(f.cycles.invoke))))"
        } else {
          text += "\(f.cycles.total) cycles"
        }
        text += ", stack \(f.stackHighWater) B, frame crc \(Self.hex(f.frameCRC)) len \(f.length)"
        return f.status == "ok" ? text : text + ", status \(f.status)"
      case .summary(let s):
        return "[summary] \(s.frames) frames, \(s.errors) errors, max \(s.maxCycles) cycles, "
          + "stack \(s.stackHighWater) B"
      case .ack(let command):
        return "[ack] \(command)"
      case .error(let code, let detail):
        return "[error] \(code)" + (detail.isEmpty ? "" : ": \(detail)")
      case .fault(let kind, let detail):
        return "[fault] \(kind)" + (detail.isEmpty ? "" : ": \(detail)")
      }
    }

    static func identity(_ i: Identity) -> String {
      var text =
        "firmware \(i.firmwareVersion), image \(i.imageHash), model crc \(hex(i.modelCRC)), "
      text += "arena \(i.arenaUsed)/\(i.arenaSize) B, static \(i.staticRAM) B, "
      text += "\(MetricFormat.number(Double(i.cpuHz) / 1e6)) MHz, reset \(i.resetCause)"
      if !i.buildFlags.isEmpty { text += ", flags \(i.buildFlags.joined(separator: ","))" }
      return text
    }

    static func hex(_ value: UInt32) -> String {
      let digits = String(value, radix: 16)
      return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
  }

  /// What the user types, a byte at a time: line editing with backspace, Enter sends, and the
  /// ways out (`~.` at the start of a line, Ctrl-C, Ctrl-D on an empty line).
  struct LineEditor {
    enum Action: Equatable {
      case none
      case edited
      case line(String)
      case quit
    }

    private(set) var text = ""

    mutating func feed(_ byte: UInt8) -> Action {
      switch byte {
      case 0x03:
        return .quit
      case 0x04:
        return text.isEmpty ? .quit : .none
      case 0x0D, 0x0A:
        let line = text
        text = ""
        if line == "~." { return .quit }
        return .line(line)
      case 0x7F, 0x08:
        guard !text.isEmpty else { return .none }
        text.removeLast()
        return .edited
      case 0x2E where text == "~":
        text = ""
        return .quit
      case 0x20...0x7E:
        text.append(Character(Unicode.Scalar(byte)))
        return .edited
      default:
        return .none
      }
    }
  }

  /// The user's terminal: output lines printed above the line being typed, and the terminal
  /// put back as it was found.
  final class Screen: Sendable {
    private struct State {
      var typing = ""
      var saved: termios?
    }

    let interactive: Bool
    private let state = Locked(State())

    /// With `interactive`, stdin is a terminal: it is switched to reading key by key without
    /// echo (rig echoes what is typed itself) until `restore()`.
    init(interactive: Bool) {
      self.interactive = interactive
      guard interactive else { return }
      var original = termios()
      guard tcgetattr(STDIN_FILENO, &original) == 0 else { return }
      var raw = original
      raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
      raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
      withUnsafeMutableBytes(of: &raw.c_cc) { cc in
        cc[Int(VMIN)] = 1
        cc[Int(VTIME)] = 0
      }
      if tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0 {
        state.withLock { $0.saved = original }
      }
    }

    /// Prints a line of output, keeping what is being typed below it.
    func line(_ text: String) {
      let shown = TerminalText.sanitize(text, keepLineBreaks: false)
      state.withLock { s in
        if interactive && !s.typing.isEmpty {
          Self.write("\r\u{1B}[K" + shown + "\r\n" + s.typing)
        } else {
          Terminal.out(text)
        }
      }
    }

    /// Shows the line being typed.
    func typing(_ text: String) {
      guard interactive else { return }
      state.withLock { s in
        s.typing = TerminalText.sanitize(text, keepLineBreaks: false)
        Self.write("\r\u{1B}[K" + s.typing)
      }
    }

    /// Puts the terminal back the way it was.
    func restore() {
      state.withLock { s in
        guard var saved = s.saved else { return }
        if !s.typing.isEmpty { Self.write("\r\n") }
        tcsetattr(STDIN_FILENO, TCSANOW, &saved)
        s.saved = nil
      }
    }

    deinit { restore() }

    /// Writes without adding a newline, straight to the descriptor as `Terminal` does.
    private static func write(_ text: String) {
      let bytes = Array(text.utf8)
      var offset = 0
      while offset < bytes.count {
        let n = bytes.withUnsafeBytes {
          Foundation.write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset)
        }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }
        offset += n
      }
    }
  }

  /// Bytes from standard input, read on a RigSystem reader thread; finished at end of input, on a
  /// signal, or when the session ends.
  final class Keyboard: Sendable {
    let input: DescriptorStream

    private init(input: DescriptorStream) {
      self.input = input
    }

    static func start() throws -> Keyboard {
      Keyboard(
        input: try DescriptorStream(
          fd: STDIN_FILENO, name: "rig console keyboard", endOfFile: .ends, describe: { _ in nil }))
    }

    /// Ends the input: the session reads what was typed, then quits.
    func finish() {
      input.stop()
    }

  }
}
