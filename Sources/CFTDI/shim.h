// SPDX-License-Identifier: Apache-2.0
#include <ftdi.h>
// ftdi.h only declares libusb's types; listing devices needs libusb's descriptor calls too.
#include <libusb.h>
