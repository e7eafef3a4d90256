// SPDX-License-Identifier: Apache-2.0
import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A parsed XML element, for asserting on the structure of rendered JUnit.
final class XMLTree {
  let name: String
  let attributes: [String: String]
  var children: [XMLTree] = []
  var text = ""

  init(name: String, attributes: [String: String]) {
    self.name = name
    self.attributes = attributes
  }

  subscript(_ attribute: String) -> String? { attributes[attribute] }

  func all(_ name: String) -> [XMLTree] { children.filter { $0.name == name } }

  func first(_ name: String) -> XMLTree? { children.first { $0.name == name } }

  /// Parses `xml`; nil (with the parser's complaint) when it is not well-formed.
  static func parse(_ xml: String) -> Result<XMLTree, ParseFailure> {
    let delegate = Builder()
    let parser = XMLParser(data: Data(xml.utf8))
    parser.delegate = delegate
    guard parser.parse(), let root = delegate.root else {
      return .failure(
        ParseFailure(
          message:
            "\(parser.parserError.map { "\($0)" } ?? "no root element") at line \(parser.lineNumber)"
        ))
    }
    return .success(root)
  }

  struct ParseFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }

  private final class Builder: NSObject, XMLParserDelegate {
    var root: XMLTree?
    var stack: [XMLTree] = []

    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
      qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
      let node = XMLTree(name: elementName, attributes: attributeDict)
      stack.last?.children.append(node)
      if root == nil { root = node }
      stack.append(node)
    }

    func parser(
      _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
      qualifiedName qName: String?
    ) {
      stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      stack.last?.text += string
    }
  }
}
