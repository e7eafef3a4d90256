/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Device side of rig's camera emulator link protocol, version 1 (docs/emulator-protocol.md).
 *
 * Wraps one ArduChip register model (arduchip.h): the host loads frames, queues them, arms
 * faults and reads counters through framed, checksummed messages; the model's events (capture
 * start, capture done, read done) go back as EVENT messages.
 *
 * Portable C99: no malloc, no stdio, no OS calls. Bytes come in through emulink_receive; bytes to
 * send collect in a transmit ring the caller drains with emulink_tx_peek / emulink_tx_consume
 * (USB CDC in firmware, a pseudo-terminal in rig's simulated bench). A malformed message is
 * dropped or answered with an ERROR; nothing the host sends can wedge the device.
 *
 * Threading: none inside. Calls on one emulink_t and on its arduchip_t (including the DUT-facing
 * SPI and I2C calls, whose events this code encodes) must be serialised by the caller.
 */
#ifndef RIG_EMULINK_H
#define RIG_EMULINK_H

#include <stddef.h>
#include <stdint.h>

#include "arduchip.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EMULINK_PROTOCOL_VERSION 1
#define EMULINK_MAGIC0 0xE7
#define EMULINK_MAGIC1 0x5A
#define EMULINK_HEADER_BYTES 8
#define EMULINK_CRC_BYTES 4
/* Payload every receiver accepts, before and without a handshake. */
#define EMULINK_MIN_PAYLOAD 256
/* Stream slot: LOAD_* with this slot address the frame being streamed. */
#define EMULINK_STREAM_SLOT 0xFF
/* A partial message older than this is discarded. */
#define EMULINK_RX_TIMEOUT_US 100000u

/* Largest payload this device accepts; LOAD_DATA then carries up to this minus 5 data bytes. */
#ifndef EMULINK_MAX_PAYLOAD
#define EMULINK_MAX_PAYLOAD 4352
#endif
/* Transmit ring: replies and events waiting for the caller to send them. */
#ifndef EMULINK_TX_BYTES
#define EMULINK_TX_BYTES 16384
#endif
/* Requests the host may have unanswered at once. */
#ifndef EMULINK_WINDOW
#define EMULINK_WINDOW 16
#endif

/* Message types. Replies to a request are 0x80 | its type. */
enum {
  EMULINK_HELLO = 0x01,
  EMULINK_RESET = 0x02,
  EMULINK_CONFIG = 0x03,
  EMULINK_MODE = 0x04,
  EMULINK_LOAD_BEGIN = 0x05,
  EMULINK_LOAD_DATA = 0x06,
  EMULINK_LOAD_END = 0x07,
  EMULINK_FREE = 0x08,
  EMULINK_QUEUE = 0x09,
  EMULINK_QUEUE_CLEAR = 0x0A,
  EMULINK_STATUS = 0x0B,
  EMULINK_EVENTS = 0x0C,
  EMULINK_FAULT = 0x0D,
  EMULINK_SYNC = 0x0E,
  EMULINK_EVENT = 0x40,
  EMULINK_NOTICE = 0x41,
  EMULINK_ERROR = 0x7F,
  EMULINK_REPLY = 0x80,
};

/* ERROR codes. */
typedef enum {
  EMULINK_ERR_UNKNOWN_TYPE = 1,
  EMULINK_ERR_BAD_LENGTH = 2,
  EMULINK_ERR_BAD_SLOT = 3,
  EMULINK_ERR_SLOT_BUSY = 4,
  EMULINK_ERR_NO_RAM = 5,
  EMULINK_ERR_QUEUE_FULL = 6,
  EMULINK_ERR_RANGE = 7,
  EMULINK_ERR_CRC_MISMATCH = 8,
  EMULINK_ERR_STATE = 9,
  EMULINK_ERR_NO_SLOT = 10,
  EMULINK_ERR_BAD_VALUE = 11,
  EMULINK_ERR_UNSUPPORTED = 12,
  EMULINK_ERR_TOO_LARGE = 13,
} emulink_error_t;

/* NOTICE codes. */
typedef enum {
  EMULINK_NOTICE_BAD_MESSAGE = 1,
  EMULINK_NOTICE_STALE_MESSAGE = 2,
} emulink_notice_t;

/* Frame formats (CONFIG, LOAD_BEGIN) and the HELLO formats bitmask. */
enum {
  EMULINK_FORMAT_GRAY8 = 0,
  EMULINK_FORMAT_RGB565BE = 1,
  EMULINK_FORMAT_JPEG = 2,
  EMULINK_FORMAT_RAW = 3,
  EMULINK_FORMATS_ALL = 0x0F,
};

/* Emulated modules (HELLO variant). */
enum {
  EMULINK_VARIANT_MINI_2MP = 0,
  EMULINK_VARIANT_MINI_2MP_PLUS = 1,
  EMULINK_VARIANT_MINI_5MP_PLUS = 2,
};

/* EVENT flags. */
#define EMULINK_EVENT_PARTIAL 0x01u
#define EMULINK_EVENT_LOST_BEFORE 0x02u

#define EMULINK_EVENT_PAYLOAD 36
#define EMULINK_STATUS_PAYLOAD 96

/* What the device tells the host in HELLO. */
typedef struct {
  const char *name;     /* firmware name and version, ASCII, up to 32 bytes are sent */
  uint8_t variant;      /* EMULINK_VARIANT_* */
  uint8_t formats;      /* bitmask of 1 << EMULINK_FORMAT_* */
  uint16_t max_payload; /* <= EMULINK_MAX_PAYLOAD; 0 means EMULINK_MAX_PAYLOAD */
} emulink_identity_t;

/* Monotonic microseconds. */
typedef uint64_t (*emulink_clock_fn)(void *context);
/* Called whenever bytes are added to the transmit ring (to wake a sender). */
typedef void (*emulink_notify_fn)(void *context);

typedef struct {
  uint32_t rx_messages;        /* intact messages received */
  uint32_t rx_bad_messages;    /* dropped: bad CRC or oversized length */
  uint32_t rx_discarded_bytes; /* skipped while looking for a message start */
  uint32_t events_sent;
  uint32_t events_dropped;     /* no room in the transmit ring */
  uint32_t errors_sent;
} emulink_counters_t;

typedef struct {
  arduchip_t *chip;
  emulink_identity_t identity;
  emulink_clock_fn clock;
  emulink_notify_fn notify;
  void *context;

  /* Receive: at most one message being assembled. */
  uint8_t rx[EMULINK_HEADER_BYTES + EMULINK_MAX_PAYLOAD + EMULINK_CRC_BYTES];
  uint32_t rx_len;
  uint64_t rx_last_us;

  /* Transmit ring. */
  uint8_t tx[EMULINK_TX_BYTES];
  uint32_t tx_head;
  uint32_t tx_count;
  uint16_t event_seq;

  uint8_t events_on;
  uint8_t events_lost; /* events were dropped since the last one sent */
  int16_t stream_slot; /* slot of the frame being streamed, -1 for none */
  uint32_t expected_crc[ARDUCHIP_MAX_SLOTS]; /* CRC announced by LOAD_BEGIN, per slot */

  /* What the host said it streams (CONFIG); the device only reports it. */
  uint8_t format;
  uint16_t width;
  uint16_t height;

  emulink_counters_t counters;
} emulink_t;

/* Prepares the link around a chip that arduchip_init has set up. Takes over the chip's clock and
 * event callbacks: the chip's clock becomes `clock`, its events go to the link. notify may be
 * NULL. */
void emulink_init(emulink_t *link, arduchip_t *chip, const emulink_identity_t *identity,
                  emulink_clock_fn clock, emulink_notify_fn notify, void *context);

/* Feeds received bytes. Returns how many were taken: fewer than len when the transmit ring is too
 * full to hold a reply; drain it and call again with the rest. */
size_t emulink_receive(emulink_t *link, const uint8_t *data, size_t len);

/* Discards a partial message that has waited EMULINK_RX_TIMEOUT_US, handles a complete one held
 * back for lack of transmit room, and lets the chip apply what the clock says is due. */
void emulink_poll(emulink_t *link);

/* The clock value at which emulink_poll next has work, or UINT64_MAX. */
uint64_t emulink_next_wake_us(const emulink_t *link);

/* The oldest bytes waiting to be sent (contiguous; call again after consuming for the rest). */
size_t emulink_tx_peek(const emulink_t *link, const uint8_t **data);
/* Marks n bytes from emulink_tx_peek as sent. */
void emulink_tx_consume(emulink_t *link, size_t n);
/* Bytes waiting to be sent. */
size_t emulink_tx_pending(const emulink_t *link);

const emulink_counters_t *emulink_counters(const emulink_t *link);

#ifdef __cplusplus
}
#endif

#endif /* RIG_EMULINK_H */
