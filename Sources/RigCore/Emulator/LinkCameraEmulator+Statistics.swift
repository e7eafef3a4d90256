// SPDX-License-Identifier: Apache-2.0

extension LinkCameraEmulator {
  /// What the host has observed of the link, for self-tests and benchmarks.
  public struct Statistics: Sendable, Equatable {
    /// Frames whose LOAD_END the emulator confirmed.
    public var framesUploaded = 0
    /// Frame bytes in those frames.
    public var frameBytesUploaded = 0
    /// Bytes written to the link, framing included.
    public var bytesSent = 0
    /// Frame uploads repeated after damage on the link.
    public var retries = 0
    /// Requests whose reply never came (damaged on the way there or back).
    public var lostRequests = 0
    /// NOTICE messages: damaged messages the emulator dropped.
    public var notices = 0
    /// Half-received messages the emulator dropped because the rest came `staleAfter` late: the
    /// host paused in the middle of a message (a loaded host), not damage on the link.
    public var staleMessages = 0
    /// Host-side decoder: messages from the emulator that failed their CRC.
    public var damagedReplies = 0
    /// Events the emulator reported having dropped.
    public var eventGaps = 0
    /// Times zero bytes were sent to end a half message the emulator seemed stuck on.
    public var resyncs = 0

    public init() {}
  }
}
