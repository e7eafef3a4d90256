// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A validated suite file: what to flash and which clips to play against which limits.
public struct Suite: Sendable {
  public var name: String
  public var file: URL
  /// The firmware image to put on the board, if the suite names one.
  public var firmware: URL?
  /// Where a raw `.bin` image goes (`firmware.address`); nil is the start of FlexSPI NOR.
  public var firmwareAddress: UInt32?
  /// Where the suite file names its image (`firmware.image`), for messages.
  public var firmwareLocation: SourceLocation?
  public var tests: [TestCase]

  public init(
    name: String, file: URL, firmware: URL?, firmwareAddress: UInt32? = nil,
    firmwareLocation: SourceLocation? = nil, tests: [TestCase]
  ) {
    self.name = name
    self.file = file
    self.firmware = firmware
    self.firmwareAddress = firmwareAddress
    self.firmwareLocation = firmwareLocation
    self.tests = tests
  }
}

/// One test: a clip played into the DUT and scored against limits.
public struct TestCase: Sendable {
  public var name: String
  /// The clip, loaded and checked during validation.
  public var clip: Clip
  public var tags: [String]
  /// Effective limits: suite defaults merged with the test's own, the test winning per metric.
  public var limits: [Limit]
  /// Limits relative to a baseline run (`"<= baseline * 1.05"`), resolved when the run starts.
  public var relativeLimits: [RelativeLimit]
  /// The whole test may take at most this long, boot excluded.
  public var timeout: Duration
  /// How many more attempts an errored test gets (a rig fault may be transient).
  /// A test that passes only on a later attempt is reported as flaky.
  public var retries: Int
  /// When set, the test is not run and is reported as skipped with this reason.
  public var skipReason: String?
  /// Where the test is declared, for messages.
  public var location: SourceLocation
  /// Camera faults injected through the emulator during the test.
  public var emulatorFaults: [EmulatorFaultInjection]
  /// Tags a rig must carry (`tags:` in its rig file) to run this test (`requires:`).
  public var requires: [String]
  /// Rigs this test must not run on, by name, with why (a quarantine list's rig entries).
  public var quarantinedOn: [String: String] = [:]

  public init(
    name: String, clip: Clip, tags: [String] = [], limits: [Limit] = [], relativeLimits: [RelativeLimit] = [],
    timeout: Duration = .seconds(60), retries: Int = 0, skipReason: String? = nil,
    location: SourceLocation, emulatorFaults: [EmulatorFaultInjection] = [], requires: [String] = []
  ) {
    self.requires = requires
    self.name = name
    self.clip = clip
    self.tags = tags
    self.limits = limits
    self.relativeLimits = relativeLimits
    self.timeout = timeout
    self.retries = retries
    self.skipReason = skipReason
    self.location = location
    self.emulatorFaults = emulatorFaults
  }
}
