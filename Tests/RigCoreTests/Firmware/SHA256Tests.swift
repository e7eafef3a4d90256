// SPDX-License-Identifier: Apache-2.0
import RigCore
import Testing

@Suite struct SHA256Tests {
  @Test("the FIPS 180-4 example vectors hash to their published digests", arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
  ])
  func vectors(message: String, digest: String) {
    #expect(SHA256.hex(Array(message.utf8)) == digest)
  }

  @Test("one million 'a' hash to the published digest, fed whole or in odd pieces")
  func million() {
    let message = [UInt8](repeating: 0x61, count: 1_000_000)
    let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    #expect(SHA256.hex(message) == expected)
    var hash = SHA256()
    var index = 0
    var piece = 1
    while index < message.count {
      let end = min(index + piece, message.count)
      hash.update(message[index..<end])
      index = end
      piece = piece % 97 + 13
    }
    #expect(hash.finish().map { String(format2($0)) }.joined() == expected)
  }

  private func format2(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 16)
    return byte < 16 ? "0" + digits : digits
  }
}
