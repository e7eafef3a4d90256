// SPDX-License-Identifier: Apache-2.0

extension HardwareSettings {
  /// How a hardware rig puts firmware on its board (`flasher:`): the ROM serial downloader over
  /// the console, or external programs (a preset or a custom command).
  public struct Flasher: Sendable, Equatable {
    /// Which flasher, with its settings.
    public enum Method: Sendable, Equatable {
      /// `native:`: SDP + MBoot over the console UART; needs `boot_mode:` and a flashloader.
      case native(NativeFlasherSettings)
      /// `preset:` or `command:`: programs run from argv templates, never through a shell.
      case external(ExternalFlasherSettings)
    }

    public var method: Method
    /// The output pulsed before the external steps (the Teensy's PROGRAM pin), opened like the
    /// other roles' lines; nil when the flasher needs none.
    public var programPin: OutputLine?

    /// Flasher settings as read from a rig file.
    public init(method: Method, programPin: OutputLine? = nil) {
      self.method = method
      self.programPin = programPin
    }

    /// `native`, `pyocd`, `jlink`, `teensy`, `blhost` or `command`, for messages.
    public var kind: String {
      switch method {
      case .native: "native"
      case .external(let settings): settings.preset ?? "command"
      }
    }

    /// The programs the external steps run, each once, in order of first use.
    public var programs: [String] {
      guard case .external(let settings) = method else { return [] }
      var seen: [String] = []
      for step in settings.steps {
        if let program = step.first, !seen.contains(program) { seen.append(program) }
      }
      return seen
    }
  }
}
