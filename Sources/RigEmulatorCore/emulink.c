/* SPDX-License-Identifier: Apache-2.0 */
/* Device side of the camera emulator link protocol; see include/emulink.h and
 * docs/emulator-protocol.md. */
#include "emulink.h"

#include <string.h>

/* Room kept free in the transmit ring for the reply to the next request (the largest reply is
 * STATUS: 12 + 96 bytes). */
#define REPLY_RESERVE 128u
#define EVENT_BYTES (EMULINK_HEADER_BYTES + EMULINK_EVENT_PAYLOAD + EMULINK_CRC_BYTES)
#define ERROR_TEXT_MAX 96u
#define NAME_MAX 32u
#define RX_CAPACITY (EMULINK_HEADER_BYTES + EMULINK_MAX_PAYLOAD + EMULINK_CRC_BYTES)

/* ---- Little-endian fields ---- */

static void put16(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

static void put64(uint8_t *p, uint64_t v) {
  put32(p, (uint32_t)v);
  put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get16(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- Clock and transmit ring ---- */

static uint64_t now_us(const emulink_t *link) {
  return link->clock ? link->clock(link->context) : 0;
}

static uint32_t tx_free(const emulink_t *link) {
  return EMULINK_TX_BYTES - link->tx_count;
}

static void tx_put(emulink_t *link, const uint8_t *data, uint32_t n) {
  /* An empty payload may come as a null pointer, which memcpy must not be given even for 0 bytes. */
  if (n == 0) return;
  uint32_t tail = (link->tx_head + link->tx_count) % EMULINK_TX_BYTES;
  uint32_t first = EMULINK_TX_BYTES - tail;
  if (first > n) first = n;
  memcpy(link->tx + tail, data, first);
  memcpy(link->tx, data + first, n - first);
  link->tx_count += n;
}

/* Frames one message into the ring. Returns 0 (and sends nothing) when it does not fit. */
static int send_message(emulink_t *link, uint8_t type, uint16_t seq, const uint8_t *payload,
                        uint32_t n) {
  if (tx_free(link) < EMULINK_HEADER_BYTES + n + EMULINK_CRC_BYTES) return 0;
  uint8_t header[EMULINK_HEADER_BYTES];
  uint8_t trailer[EMULINK_CRC_BYTES];
  header[0] = EMULINK_MAGIC0;
  header[1] = EMULINK_MAGIC1;
  header[2] = type;
  header[3] = 0;
  put16(header + 4, seq);
  put16(header + 6, n);
  uint32_t crc = arduchip_crc32(0, header + 2, EMULINK_HEADER_BYTES - 2);
  crc = arduchip_crc32(crc, payload, n);
  put32(trailer, crc);
  tx_put(link, header, sizeof header);
  tx_put(link, payload, n);
  tx_put(link, trailer, sizeof trailer);
  if (link->notify) link->notify(link->context);
  return 1;
}

static void reply(emulink_t *link, uint8_t type, uint16_t seq, const uint8_t *payload,
                  uint32_t n) {
  send_message(link, (uint8_t)(EMULINK_REPLY | type), seq, payload, n);
}

static void reply_error(emulink_t *link, uint8_t type, uint16_t seq, emulink_error_t code,
                        const char *text) {
  uint8_t payload[4 + ERROR_TEXT_MAX];
  uint32_t n = 0;
  while (text[n] != 0 && n < ERROR_TEXT_MAX) n++;
  put16(payload, (uint32_t)code);
  payload[2] = type;
  payload[3] = 0;
  memcpy(payload + 4, text, n);
  if (send_message(link, EMULINK_ERROR, seq, payload, 4 + n)) link->counters.errors_sent++;
}

/* A NOTICE only when it does not take the room a reply needs: a stream of garbage must not be
 * able to crowd out the answers. */
static void notice(emulink_t *link, emulink_notice_t code, const char *text) {
  uint8_t payload[2 + ERROR_TEXT_MAX];
  uint32_t n = 0;
  while (text[n] != 0 && n < ERROR_TEXT_MAX) n++;
  if (tx_free(link) < REPLY_RESERVE + EMULINK_HEADER_BYTES + 2 + n + EMULINK_CRC_BYTES) return;
  put16(payload, (uint32_t)code);
  memcpy(payload + 2, text, n);
  send_message(link, EMULINK_NOTICE, 0, payload, 2 + n);
}

/* ---- Chip callbacks ---- */

static uint64_t chip_clock(void *context) {
  return now_us((const emulink_t *)context);
}

static void chip_event(void *context, const arduchip_event_t *event) {
  emulink_t *link = (emulink_t *)context;
  if (!link->events_on) return;
  if (tx_free(link) < REPLY_RESERVE + EVENT_BYTES) {
    link->counters.events_dropped++;
    link->events_lost = 1;
    return;
  }
  uint8_t p[EMULINK_EVENT_PAYLOAD];
  p[0] = (uint8_t)event->kind;
  p[1] = (uint8_t)event->faults;
  p[2] = (uint8_t)((event->flags & ARDUCHIP_EVENT_PARTIAL ? EMULINK_EVENT_PARTIAL : 0) |
                   (link->events_lost ? EMULINK_EVENT_LOST_BEFORE : 0));
  p[3] = 0;
  put32(p + 4, event->sequence);
  put32(p + 8, event->tag);
  put32(p + 12, event->length);
  put32(p + 16, event->reported_length);
  put32(p + 20, event->bytes_read);
  put32(p + 24, event->crc32);
  put64(p + 28, event->time_us);
  send_message(link, EMULINK_EVENT, link->event_seq++, p, sizeof p);
  link->events_lost = 0;
  link->counters.events_sent++;
}

/* ---- Requests ---- */

static emulink_error_t map_result(int result) {
  switch (result) {
  case ARDUCHIP_ERR_SLOT: return EMULINK_ERR_BAD_SLOT;
  case ARDUCHIP_ERR_BUSY: return EMULINK_ERR_SLOT_BUSY;
  case ARDUCHIP_ERR_NO_RAM: return EMULINK_ERR_NO_RAM;
  case ARDUCHIP_ERR_QUEUE_FULL: return EMULINK_ERR_QUEUE_FULL;
  case ARDUCHIP_ERR_RANGE: return EMULINK_ERR_RANGE;
  case ARDUCHIP_ERR_CRC: return EMULINK_ERR_CRC_MISMATCH;
  case ARDUCHIP_ERR_NO_SLOT: return EMULINK_ERR_NO_SLOT;
  default: return EMULINK_ERR_STATE;
  }
}

static const char *result_text(int result) {
  switch (result) {
  case ARDUCHIP_ERR_SLOT: return "slot number out of range";
  case ARDUCHIP_ERR_BUSY: return "slot holds a frame; FREE it first";
  case ARDUCHIP_ERR_NO_RAM: return "no free stretch of frame RAM that large";
  case ARDUCHIP_ERR_QUEUE_FULL: return "play queue is full";
  case ARDUCHIP_ERR_RANGE: return "data past the length LOAD_BEGIN gave";
  case ARDUCHIP_ERR_CRC: return "frame bytes do not have the CRC LOAD_BEGIN announced";
  case ARDUCHIP_ERR_NO_SLOT: return "every slot is in use";
  default: return "slot is not in the state this request needs";
  }
}

static uint32_t max_frame(const emulink_t *link) {
  return link->chip->ram_size < 0x7FFFFFu ? link->chip->ram_size : 0x7FFFFFu;
}

static uint16_t max_payload(const emulink_t *link) {
  uint16_t m = link->identity.max_payload;
  return (m == 0 || m > EMULINK_MAX_PAYLOAD) ? EMULINK_MAX_PAYLOAD : m;
}

/* The slot a LOAD_DATA / LOAD_END addresses, or -1. */
static int resolve_slot(const emulink_t *link, uint8_t slot) {
  if (slot == EMULINK_STREAM_SLOT) return link->stream_slot;
  return slot < ARDUCHIP_MAX_SLOTS ? slot : -1;
}

static void on_hello(emulink_t *link, uint16_t seq, const uint8_t *p, uint32_t n) {
  if (n < 2) {
    reply_error(link, EMULINK_HELLO, seq, EMULINK_ERR_BAD_LENGTH,
                "HELLO needs proto_min, proto_max");
    return;
  }
  if (p[0] > EMULINK_PROTOCOL_VERSION || p[1] < EMULINK_PROTOCOL_VERSION) {
    reply_error(link, EMULINK_HELLO, seq, EMULINK_ERR_UNSUPPORTED,
                "this emulator speaks protocol version 1 only");
    return;
  }
  uint8_t r[16 + NAME_MAX];
  uint32_t name_len = 0;
  const char *name = link->identity.name ? link->identity.name : "";
  while (name[name_len] != 0 && name_len < NAME_MAX) name_len++;
  r[0] = EMULINK_PROTOCOL_VERSION;
  r[1] = link->identity.variant;
  r[2] = link->identity.formats;
  r[3] = ARDUCHIP_MAX_SLOTS;
  r[4] = ARDUCHIP_QUEUE_DEPTH;
  r[5] = EMULINK_WINDOW;
  put16(r + 6, max_payload(link));
  put32(r + 8, link->chip->ram_size);
  put32(r + 12, max_frame(link));
  memcpy(r + 16, name, name_len);
  reply(link, EMULINK_HELLO, seq, r, 16 + name_len);
}

static void on_config(emulink_t *link, uint16_t seq, const uint8_t *p, uint32_t n) {
  if (n < 16) {
    reply_error(link, EMULINK_CONFIG, seq, EMULINK_ERR_BAD_LENGTH, "CONFIG needs 16 bytes");
    return;
  }
  if (p[0] > EMULINK_FORMAT_RAW) {
    reply_error(link, EMULINK_CONFIG, seq, EMULINK_ERR_BAD_VALUE, "format must be 0-3");
    return;
  }
  arduchip_config_t config = link->chip->config;
  link->format = p[0];
  config.version = p[1];
  config.fill = p[2];
  config.burst_dummy = p[3] ? 1 : 0;
  link->width = (uint16_t)get16(p + 4);
  link->height = (uint16_t)get16(p + 6);
  config.capture_delay_us = get32(p + 8);
  config.max_fifo = get32(p + 12) ? get32(p + 12) : ARDUCHIP_MAX_FIFO_MINI_2MP;
  arduchip_configure(link->chip, &config);
  reply(link, EMULINK_CONFIG, seq, NULL, 0);
}

static void on_load_begin(emulink_t *link, uint16_t seq, const uint8_t *p, uint32_t n) {
  if (n < 18) {
    reply_error(link, EMULINK_LOAD_BEGIN, seq, EMULINK_ERR_BAD_LENGTH, "LOAD_BEGIN needs 18 bytes");
    return;
  }
  uint8_t slot = p[0];
  uint32_t length = get32(p + 6);
  uint32_t crc = get32(p + 10);
  uint32_t tag = get32(p + 14);
  int stream = slot == EMULINK_STREAM_SLOT;
  if (stream) {
    /* A new stream load abandons one left unfinished (the host is retrying). */
    if (link->stream_slot >= 0 &&
        link->chip->slots[link->stream_slot].state == ARDUCHIP_SLOT_LOADING) {
      arduchip_slot_free(link->chip, (uint32_t)link->stream_slot);
    }
    link->stream_slot = -1;
  }
  if (p[1] > EMULINK_FORMAT_RAW) {
    reply_error(link, EMULINK_LOAD_BEGIN, seq, EMULINK_ERR_BAD_VALUE, "format must be 0-3");
    return;
  }
  if (length > max_frame(link)) {
    reply_error(link, EMULINK_LOAD_BEGIN, seq, EMULINK_ERR_TOO_LARGE,
                "frame is larger than max_frame");
    return;
  }
  int target;
  if (stream) {
    target = arduchip_slot_find_free(link->chip);
    if (target < 0) {
      reply_error(link, EMULINK_LOAD_BEGIN, seq, EMULINK_ERR_NO_SLOT, result_text(target));
      return;
    }
  } else if (slot >= ARDUCHIP_MAX_SLOTS) {
    reply_error(link, EMULINK_LOAD_BEGIN, seq, EMULINK_ERR_BAD_SLOT, "slot number out of range");
    return;
  } else {
    target = slot;
    /* Loading again over an unfinished load restarts it. */
    if (link->chip->slots[target].state == ARDUCHIP_SLOT_LOADING) {
      arduchip_slot_free(link->chip, (uint32_t)target);
    }
  }
  int result = arduchip_slot_load_begin(link->chip, (uint32_t)target, length, tag, stream);
  if (result != ARDUCHIP_OK) {
    reply_error(link, EMULINK_LOAD_BEGIN, seq, map_result(result), result_text(result));
    return;
  }
  link->expected_crc[target] = crc;
  if (stream) link->stream_slot = (int16_t)target;
  uint8_t r[1] = {(uint8_t)target};
  reply(link, EMULINK_LOAD_BEGIN, seq, r, sizeof r);
}

static void on_load_data(emulink_t *link, uint16_t seq, const uint8_t *p, uint32_t n) {
  if (n < 5) {
    reply_error(link, EMULINK_LOAD_DATA, seq, EMULINK_ERR_BAD_LENGTH, "LOAD_DATA needs 5 bytes");
    return;
  }
  int slot = resolve_slot(link, p[0]);
  if (slot < 0) {
    reply_error(link, EMULINK_LOAD_DATA, seq, p[0] == EMULINK_STREAM_SLOT ? EMULINK_ERR_STATE
                                                                           : EMULINK_ERR_BAD_SLOT,
                p[0] == EMULINK_STREAM_SLOT ? "no stream load in progress"
                                            : "slot number out of range");
    return;
  }
  int result = arduchip_slot_load_data(link->chip, (uint32_t)slot, get32(p + 1), p + 5, n - 5);
  if (result != ARDUCHIP_OK) {
    reply_error(link, EMULINK_LOAD_DATA, seq, map_result(result), result_text(result));
    return;
  }
  reply(link, EMULINK_LOAD_DATA, seq, NULL, 0);
}

static void on_load_end(emulink_t *link, uint16_t seq, const uint8_t *p, uint32_t n) {
  if (n < 2) {
    reply_error(link, EMULINK_LOAD_END, seq, EMULINK_ERR_BAD_LENGTH, "LOAD_END needs 2 bytes");
    return;
  }
  int stream = p[0] == EMULINK_STREAM_SLOT;
  int slot = resolve_slot(link, p[0]);
  if (stream) link->stream_slot = -1;
  if (slot < 0) {
    reply_error(link, EMULINK_LOAD_END, seq, stream ? EMULINK_ERR_STATE : EMULINK_ERR_BAD_SLOT,
                stream ? "no stream load in progress" : "slot number out of range");
    return;
  }
  int result = arduchip_slot_load_end(link->chip, (uint32_t)slot, 1, link->expected_crc[slot]);
  if (result == ARDUCHIP_OK && (stream || p[1])) {
    result = arduchip_queue_push(link->chip, (uint32_t)slot);
    /* A stream frame that cannot be queued would never be freed. */
    if (result != ARDUCHIP_OK && stream) arduchip_slot_free(link->chip, (uint32_t)slot);
  }
  if (result != ARDUCHIP_OK) {
    reply_error(link, EMULINK_LOAD_END, seq, map_result(result), result_text(result));
    return;
  }
  uint8_t r[8];
  r[0] = (uint8_t)slot;
  r[1] = (uint8_t)arduchip_queue_depth(link->chip);
  r[2] = 0;
  r[3] = 0;
  put32(r + 4, arduchip_ram_largest_free(link->chip));
  reply(link, EMULINK_LOAD_END, seq, r, sizeof r);
}

static void on_queue(emulink_t *link, uint16_t seq, const uint8_t *p, uint32_t n) {
  if (n < 1 || n < 1u + p[0]) {
    reply_error(link, EMULINK_QUEUE, seq, EMULINK_ERR_BAD_LENGTH, "QUEUE needs count and slots");
    return;
  }
  for (uint32_t i = 0; i < p[0]; i++) {
    int result = arduchip_queue_push(link->chip, p[1 + i]);
    if (result != ARDUCHIP_OK) {
      reply_error(link, EMULINK_QUEUE, seq, map_result(result), result_text(result));
      return;
    }
  }
  uint8_t r[1] = {(uint8_t)arduchip_queue_depth(link->chip)};
  reply(link, EMULINK_QUEUE, seq, r, sizeof r);
}

static void on_status(emulink_t *link, uint16_t seq) {
  const arduchip_counters_t *c = arduchip_counters(link->chip);
  uint8_t r[EMULINK_STATUS_PAYLOAD];
  uint8_t *w = r;
  put32(w, arduchip_queue_depth(link->chip)), w += 4;
  put32(w, c->captures_started), w += 4;
  put32(w, c->frames_served), w += 4;
  put64(w, c->bytes_read), w += 8;
  put32(w, c->burst_reads), w += 4;
  put32(w, c->single_reads), w += 4;
  put32(w, c->register_reads), w += 4;
  put32(w, c->register_writes), w += 4;
  put32(w, c->cs_transactions), w += 4;
  put32(w, c->unknown_accesses), w += 4;
  put32(w, c->clears), w += 4;
  put32(w, c->i2c_writes), w += 4;
  put32(w, c->i2c_reads), w += 4;
  put32(w, link->chip->sensor_digest), w += 4;
  put32(w, link->counters.rx_messages), w += 4;
  put32(w, link->counters.rx_bad_messages), w += 4;
  put32(w, link->counters.rx_discarded_bytes), w += 4;
  put32(w, link->counters.events_sent), w += 4;
  put32(w, link->counters.events_dropped), w += 4;
  put32(w, link->counters.errors_sent), w += 4;
  put32(w, arduchip_ram_largest_free(link->chip)), w += 4;
  put64(w, now_us(link));
  reply(link, EMULINK_STATUS, seq, r, sizeof r);
}

static void on_fault(emulink_t *link, uint16_t seq, const uint8_t *p, uint32_t n) {
  if (n < 12) {
    reply_error(link, EMULINK_FAULT, seq, EMULINK_ERR_BAD_LENGTH, "FAULT needs 12 bytes");
    return;
  }
  if (p[0] >= ARDUCHIP_FAULT_KIND_COUNT || p[1] > ARDUCHIP_FAULT_ALWAYS) {
    reply_error(link, EMULINK_FAULT, seq, EMULINK_ERR_BAD_VALUE, "fault kind 0-7, mode 0-2");
    return;
  }
  arduchip_set_fault_for(link->chip, (arduchip_fault_kind_t)p[0], (arduchip_fault_mode_t)p[1],
                         get32(p + 4), get32(p + 8));
  reply(link, EMULINK_FAULT, seq, NULL, 0);
}

static void dispatch(emulink_t *link, uint8_t type, uint16_t seq, const uint8_t *p, uint32_t n) {
  switch (type) {
  case EMULINK_HELLO:
    on_hello(link, seq, p, n);
    break;
  case EMULINK_RESET:
    arduchip_reset(link->chip);
    link->stream_slot = -1;
    reply(link, type, seq, NULL, 0);
    break;
  case EMULINK_CONFIG:
    on_config(link, seq, p, n);
    break;
  case EMULINK_MODE:
    if (n < 1 || p[0] > ARDUCHIP_PLAY_HOLD) {
      reply_error(link, type, seq, n < 1 ? EMULINK_ERR_BAD_LENGTH : EMULINK_ERR_BAD_VALUE,
                  "MODE needs a mode 0-2");
      break;
    }
    arduchip_set_mode(link->chip, (arduchip_play_mode_t)p[0]);
    reply(link, type, seq, NULL, 0);
    break;
  case EMULINK_LOAD_BEGIN:
    on_load_begin(link, seq, p, n);
    break;
  case EMULINK_LOAD_DATA:
    on_load_data(link, seq, p, n);
    break;
  case EMULINK_LOAD_END:
    on_load_end(link, seq, p, n);
    break;
  case EMULINK_FREE:
    if (n < 1 || p[0] >= ARDUCHIP_MAX_SLOTS) {
      reply_error(link, type, seq, n < 1 ? EMULINK_ERR_BAD_LENGTH : EMULINK_ERR_BAD_SLOT,
                  "FREE needs a slot number in range");
      break;
    }
    if (link->stream_slot == p[0]) link->stream_slot = -1;
    arduchip_slot_free(link->chip, p[0]);
    reply(link, type, seq, NULL, 0);
    break;
  case EMULINK_QUEUE:
    on_queue(link, seq, p, n);
    break;
  case EMULINK_QUEUE_CLEAR:
    arduchip_queue_clear(link->chip);
    reply(link, type, seq, NULL, 0);
    break;
  case EMULINK_STATUS:
    on_status(link, seq);
    break;
  case EMULINK_EVENTS:
    if (n < 1) {
      reply_error(link, type, seq, EMULINK_ERR_BAD_LENGTH, "EVENTS needs on/off");
      break;
    }
    link->events_on = p[0] ? 1 : 0;
    reply(link, type, seq, NULL, 0);
    break;
  case EMULINK_FAULT:
    on_fault(link, seq, p, n);
    break;
  case EMULINK_SYNC: {
    uint8_t r[8];
    put64(r, now_us(link));
    reply(link, type, seq, r, sizeof r);
    break;
  }
  default:
    reply_error(link, type, seq, EMULINK_ERR_UNKNOWN_TYPE, "unknown request type");
    break;
  }
}

/* ---- Receiving ---- */

static void rx_drop(emulink_t *link, uint32_t n) {
  memmove(link->rx, link->rx + n, link->rx_len - n);
  link->rx_len -= n;
}

/* One step over the bytes held: 1 progress made, 0 more bytes needed, -1 a complete request waits
 * for transmit room. */
static int rx_step(emulink_t *link) {
  uint8_t *rx = link->rx;
  if (link->rx_len == 0) return 0;
  if (rx[0] != EMULINK_MAGIC0) {
    const uint8_t *next = memchr(rx + 1, EMULINK_MAGIC0, link->rx_len - 1);
    uint32_t skip = next ? (uint32_t)(next - rx) : link->rx_len;
    link->counters.rx_discarded_bytes += skip;
    rx_drop(link, skip);
    return 1;
  }
  if (link->rx_len < 2) return 0;
  if (rx[1] != EMULINK_MAGIC1) {
    link->counters.rx_discarded_bytes++;
    rx_drop(link, 1);
    return 1;
  }
  if (link->rx_len < EMULINK_HEADER_BYTES) return 0;
  uint32_t n = get16(rx + 6);
  if (n > max_payload(link)) {
    link->counters.rx_bad_messages++;
    link->counters.rx_discarded_bytes++;
    rx_drop(link, 1);
    notice(link, EMULINK_NOTICE_BAD_MESSAGE, "dropped a message announcing too long a payload");
    return 1;
  }
  uint32_t total = EMULINK_HEADER_BYTES + n + EMULINK_CRC_BYTES;
  if (link->rx_len < total) return 0;
  uint32_t crc = arduchip_crc32(0, rx + 2, EMULINK_HEADER_BYTES - 2 + n);
  if (crc != get32(rx + EMULINK_HEADER_BYTES + n)) {
    link->counters.rx_bad_messages++;
    link->counters.rx_discarded_bytes++;
    rx_drop(link, 1);
    notice(link, EMULINK_NOTICE_BAD_MESSAGE, "dropped a message with a bad checksum");
    return 1;
  }
  if (tx_free(link) < REPLY_RESERVE) return -1;
  link->counters.rx_messages++;
  dispatch(link, rx[2], (uint16_t)get16(rx + 4), rx + EMULINK_HEADER_BYTES, n);
  rx_drop(link, total);
  return 1;
}

static int rx_process(emulink_t *link) {
  int r;
  while ((r = rx_step(link)) == 1) {
  }
  return r;
}

size_t emulink_receive(emulink_t *link, const uint8_t *data, size_t len) {
  size_t used = 0;
  if (len > 0) link->rx_last_us = now_us(link);
  for (;;) {
    if (rx_process(link) < 0) return used;
    if (used == len) return used;
    /* Between messages, garbage is skipped without copying it. */
    if (link->rx_len == 0 && data[used] != EMULINK_MAGIC0) {
      const uint8_t *next = memchr(data + used, EMULINK_MAGIC0, len - used);
      size_t skip = next ? (size_t)(next - (data + used)) : len - used;
      link->counters.rx_discarded_bytes += (uint32_t)skip;
      used += skip;
      continue;
    }
    size_t room = RX_CAPACITY - link->rx_len;
    size_t n = len - used < room ? len - used : room;
    memcpy(link->rx + link->rx_len, data + used, n);
    link->rx_len += (uint32_t)n;
    used += n;
  }
}

void emulink_poll(emulink_t *link) {
  uint64_t now = now_us(link);
  if (link->rx_len > 0 && now - link->rx_last_us >= EMULINK_RX_TIMEOUT_US) {
    /* The sender went quiet in the middle of a message: whatever arrives next starts afresh. */
    if (rx_process(link) == 0 && link->rx_len > 0) {
      link->counters.rx_discarded_bytes += link->rx_len;
      link->rx_len = 0;
      notice(link, EMULINK_NOTICE_STALE_MESSAGE, "discarded a partial message after 100 ms");
    }
  } else {
    rx_process(link);
  }
  arduchip_poll(link->chip);
}

uint64_t emulink_next_wake_us(const emulink_t *link) {
  uint64_t wake = arduchip_next_wake_us(link->chip);
  if (link->rx_len > 0) {
    uint64_t stale = link->rx_last_us + EMULINK_RX_TIMEOUT_US;
    if (stale < wake) wake = stale;
  }
  return wake;
}

/* ---- Transmit side ---- */

size_t emulink_tx_peek(const emulink_t *link, const uint8_t **data) {
  uint32_t first = EMULINK_TX_BYTES - link->tx_head;
  *data = link->tx + link->tx_head;
  return link->tx_count < first ? link->tx_count : first;
}

void emulink_tx_consume(emulink_t *link, size_t n) {
  if (n > link->tx_count) n = link->tx_count;
  link->tx_head = (uint32_t)((link->tx_head + n) % EMULINK_TX_BYTES);
  link->tx_count -= (uint32_t)n;
  if (link->tx_count == 0) link->tx_head = 0;
}

size_t emulink_tx_pending(const emulink_t *link) {
  return link->tx_count;
}

const emulink_counters_t *emulink_counters(const emulink_t *link) {
  return &link->counters;
}

/* ---- Lifecycle ---- */

void emulink_init(emulink_t *link, arduchip_t *chip, const emulink_identity_t *identity,
                  emulink_clock_fn clock, emulink_notify_fn notify, void *context) {
  memset(link, 0, sizeof *link);
  link->chip = chip;
  link->identity = *identity;
  link->clock = clock;
  link->notify = notify;
  link->context = context;
  link->stream_slot = -1;
  link->width = 96;
  link->height = 96;
  chip->clock = chip_clock;
  chip->on_event = chip_event;
  chip->context = link;
}
