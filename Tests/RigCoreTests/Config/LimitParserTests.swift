// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite struct LimitParserTests {
  @Test(
    "reads each comparison",
    arguments: [
      (">= 0.90", Limit.Comparison.atLeast, 0.9), ("<= 0.15", .atMost, 0.15),
      ("> 1", .greaterThan, 1),
      ("< 45", .lessThan, 45), ("== 0", .equal, 0), ("<=0.5", .atMost, 0.5),
    ])
  func reads(text: String, comparison: Limit.Comparison, threshold: Double) throws {
    let limit = try LimitParser.parse(text, for: .countMAE)
    #expect(limit == Limit(.countMAE, comparison, threshold))
  }

  @Test("off removes a limit")
  func off() throws {
    #expect(try LimitParser.parse("off", for: .latencyP95) == nil)
  }

  @Test("a bare number says which comparisons to write")
  func bareNumber() {
    #expect(throws: LimitParser.Problem.self) { try LimitParser.parse("0.15", for: .countMAE) }
    do {
      _ = try LimitParser.parse("0.15", for: .countMAE)
    } catch {
      #expect(error.hint == #"write "<= 0.15" or ">= 0.15""#)
    }
  }

  @Test("thresholds a metric can never reach are refused")
  func ranges() throws {
    #expect(throws: LimitParser.Problem.self) {
      try LimitParser.parse(">= 90", for: .countExactMatch)
    }
    #expect(throws: LimitParser.Problem.self) { try LimitParser.parse("<= -1", for: .countMAE) }
    #expect(throws: LimitParser.Problem.self) { try LimitParser.parse("<= -1", for: .ramPeak) }
    // Bias is signed: under-counting by a fifth of a person is a fair limit.
    #expect(try LimitParser.parse(">= -0.2", for: .countBias) == Limit(.countBias, .atLeast, -0.2))
  }

  @Test("look-alike operators get a hint")
  func lookAlikes() {
    for (text, hint) in [("≤ 3", "write <= instead of ≤"), ("= 3", "write == for equality")] {
      do {
        _ = try LimitParser.parse(text, for: .countMAE)
        Issue.record("\(text) was accepted")
      } catch {
        #expect(error.hint == hint)
      }
    }
  }
}
