// SPDX-License-Identifier: Apache-2.0
import CFTDI

/// One libftdi1 context: opening a chip and running pin commands on it. Closed and freed on
/// deinit. Not thread-safe; `FTDIDevice` uses it from its own queue only.
final class FTDIContext {
  let context: UnsafeMutablePointer<ftdi_context>
  private(set) var isOpen = false

  /// USB timeouts for pin updates, milliseconds; libftdi's default of 5 s would hide an unplug.
  static let usbTimeout: Int32 = 1000

  init() throws(CLibraryError) {
    guard let context = ftdi_new() else {
      throw CLibraryError(
        library: .libftdi1, operation: "ftdi_new", code: -1,
        message: "cannot initialise libftdi or libusb")
    }
    self.context = context
  }

  deinit {
    if isOpen { ftdi_usb_close(context) }
    ftdi_free(context)
  }

  /// Opens the chip `selector` names. Without a product id, FTDI's usual ids are tried in turn.
  func open(_ selector: FTDISelector) throws(CLibraryError) {
    try CLibraryError.checkFTDI(
      ftdi_set_interface(context, Self.interface(selector.interface)), context, "ftdi_set_interface"
    )
    if let bus = selector.usbBus, let address = selector.usbAddress {
      try open(libftdiString: "d:\(bus)/\(address)")
      return
    }
    var result: Int32 = -3
    for product in selector.product.map({ [$0] }) ?? FTDISelector.defaultProducts {
      result = ftdi_usb_open_desc_index(
        context, Int32(selector.vendor), Int32(product), selector.productDescription,
        selector.serial,
        UInt32(clamping: selector.index))
      if result != -3 { break }
    }
    try CLibraryError.checkFTDI(result, context, "ftdi_usb_open_desc_index")
    configureOpened()
  }

  /// Opens a chip by one of libftdi's own device strings (`d:`, `i:`, `s:`), as written.
  func open(libftdiString text: String) throws(CLibraryError) {
    try CLibraryError.checkFTDI(
      ftdi_usb_open_string(context, text), context, "ftdi_usb_open_string")
    configureOpened()
  }

  private func configureOpened() {
    isOpen = true
    context.pointee.usb_write_timeout = Self.usbTimeout
    context.pointee.usb_read_timeout = Self.usbTimeout
  }

  /// Runs pin commands in order, stopping at the first that fails.
  func run(_ commands: [FTDIPinCommand]) throws(CLibraryError) {
    for command in commands {
      switch command {
      case .setBitmode(let mask, let mode):
        try CLibraryError.checkFTDI(
          ftdi_set_bitmode(context, mask, mode), context, "ftdi_set_bitmode")
      case .write(let bytes):
        let written = bytes.withUnsafeBufferPointer {
          ftdi_write_data(context, $0.baseAddress, Int32($0.count))
        }
        try CLibraryError.checkFTDI(written, context, "ftdi_write_data")
      }
    }
  }

  /// The chip family libftdi detected on open: `FT232H`, `FT2232H`, `FT232R`…
  var chipType: String {
    switch context.pointee.type {
    case TYPE_AM: "FT8U232AM"
    case TYPE_BM: "FT232BM"
    case TYPE_2232C: "FT2232C"
    case TYPE_R: "FT232R"
    case TYPE_2232H: "FT2232H"
    case TYPE_4232H: "FT4232H"
    case TYPE_232H: "FT232H"
    case TYPE_230X: "FT230X"
    default: "FTDI"
    }
  }

  private static func interface(_ interface: FTDISelector.Interface) -> ftdi_interface {
    switch interface {
    case .any: INTERFACE_ANY
    case .a: INTERFACE_A
    case .b: INTERFACE_B
    case .c: INTERFACE_C
    case .d: INTERFACE_D
    }
  }
}
