// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigConsole
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

    @OptionGroup var rigOption: RigOption

    @Flag(help: "Cycle the DUT's power once connected, to watch it boot (hardware rigs).")
    var powerCycle = false

    @Flag(name: .shortAndLong, help: "Show on standard error what the hardware layer chooses.")
    var verbose = false

    func run() async throws {
      do {
        let configuration = try rigOption.load()
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
      let hardware: HardwareSettings
      switch try BenchFactory.backend(of: rig) {
      case .simulated:
        // The virtual DUT only talks when powered; switch it on as a bench would be.
        let (bench, kind) = try await BenchFactory.open(rig)
        try await bench.power.set(.on)
        return Connection(link: bench.console, description: kind) {
          try? await bench.power.set(.off)
          await bench.close()
        }
      case .hardware(let settings):
        hardware = settings
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
      return Connection(link: link, description: "\(hardware.console.address)") { await opened.close() }
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
      var format = TelemetryLineFormat()
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
      var editor = ConsoleLineEditor()
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
            guard let input = ConsoleInput(text, nonce: &nonce) else { continue }
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
