// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
  import Glibc
#endif

/// glibc gives each thread that finds the allocator busy an arena of its own, up to eight per
/// core, and keeps their freed pages: a run's reader, board and dispatch threads then cost tens
/// of MB more on one run than on the next. rig allocates little and seldom on its hot paths, so
/// two arenas cost nothing measurable and keep its footprint the same from run to run.
public enum MallocArenas {
  /// glibc's `M_ARENA_MAX` parameter of `mallopt` (malloc.h, which Swift's Glibc module leaves out).
  private static let arenaMaxParameter: Int32 = -8

  /// Caps the arenas; call first thing in `main`, before other threads start. Does nothing where
  /// the C library has no `mallopt`.
  public static func limit(to count: Int32 = 2) {
    #if canImport(Glibc)
      typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
      _ = unsafeBitCast(symbol, to: MallOpt.self)(arenaMaxParameter, count)
    #endif
  }
}
