// SPDX-License-Identifier: Apache-2.0

/// Why a check failed, in words that say what was expected and what the kernel showed.
struct CheckFailure: Error, CustomStringConvertible {
  var description: String

  init(_ description: String) {
    self.description = description
  }
}

/// Fails the check with `why` unless `condition` holds.
func expect(_ condition: Bool, _ why: @autoclosure () -> String) throws {
  if !condition { throw CheckFailure(why()) }
}

/// Runs `body`, which must throw; returns the error so the check can look at its message.
func expectError(
  _ what: String, _ body: () async throws -> Void
) async throws -> any Error {
  do {
    try await body()
  } catch {
    return error
  }
  throw CheckFailure("\(what) succeeded; it should have failed")
}
