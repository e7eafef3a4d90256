// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the camera emulator's device side (Sources/RigEmulatorCore): the link
// protocol decoder and the ArduChip register model behind it, driven by host bytes and SPI
// transfers interleaved as the input says, with time moving on. Built by Scripts/fuzz with
// clang -fsanitize=fuzzer,address,undefined.
//
// Invariants: everything the device sends is well-framed link messages (magic, a payload
// within the maximum, a CRC-32 that matches, computed here independently of the device's
// code); the transmit ring never claims more than it holds; the counters never run backwards.
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "arduchip.h"
#include "emulink.h"

static uint64_t now_us;
static uint64_t clock_us(void *context) {
  (void)context;
  return now_us;
}

static void require(int condition, const char *what) {
  if (!condition) {
    fprintf(stderr, "invariant failed: %s\n", what);
    abort();
  }
}

// CRC-32 (IEEE 802.3, reflected), bit by bit: an oracle that shares no code with the device.
static uint32_t crc32_bitwise(uint32_t crc, const uint8_t *data, size_t n) {
  crc = ~crc;
  for (size_t i = 0; i < n; i++) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// The device's output, checked message by message as it is drained.
static uint8_t out[EMULINK_HEADER_BYTES + EMULINK_MAX_PAYLOAD + EMULINK_CRC_BYTES];
static size_t out_len;

static void check_output(const uint8_t *data, size_t n) {
  for (size_t i = 0; i < n; i++) {
    require(out_len < sizeof out, "a message longer than the largest payload");
    out[out_len++] = data[i];
    if (out_len == 1) require(out[0] == EMULINK_MAGIC0, "output outside a message");
    if (out_len == 2) require(out[1] == EMULINK_MAGIC1, "a message without its magic");
    if (out_len < EMULINK_HEADER_BYTES) continue;
    uint32_t payload = (uint32_t)out[6] | (uint32_t)out[7] << 8;
    require(payload <= EMULINK_MAX_PAYLOAD, "a payload longer than the maximum");
    size_t total = EMULINK_HEADER_BYTES + payload + EMULINK_CRC_BYTES;
    if (out_len < total) continue;
    uint32_t crc = crc32_bitwise(0, out + 2, EMULINK_HEADER_BYTES - 2 + payload);
    const uint8_t *t = out + EMULINK_HEADER_BYTES + payload;
    uint32_t sent = (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
    require(crc == sent, "a message whose CRC does not match");
    out_len = 0;
  }
}

static void drain(emulink_t *link) {
  const uint8_t *data;
  size_t n;
  require(emulink_tx_pending(link) <= EMULINK_TX_BYTES, "the transmit ring holds more than it can");
  while ((n = emulink_tx_peek(link, &data)) > 0) {
    check_output(data, n);
    emulink_tx_consume(link, n);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static uint8_t ram[96 * 1024];
  static arduchip_t chip;
  static emulink_t link;
  arduchip_config_t config;
  arduchip_default_config(&config);
  memset(ram, 0, sizeof ram);
  arduchip_init(&chip, &config, ram, sizeof ram, NULL, NULL, NULL);
  emulink_identity_t identity = {"fuzz", EMULINK_VARIANT_MINI_2MP, EMULINK_FORMATS_ALL, 0};
  now_us = 0;
  out_len = 0;
  emulink_init(&link, &chip, &identity, clock_us, NULL, NULL);

  // Each step: a control byte, then what it says. Bit 7: SPI transfers of the next (c & 31)
  // bytes in a chip-select window (bit 6 closes it afterwards); otherwise host bytes, (c & 63) + 1
  // of them.
  // Time moves on by (c & 7) * 1 ms per step.
  size_t i = 0;
  uint32_t previous_messages = 0;
  while (i < size) {
    uint8_t c = data[i++];
    now_us += (uint64_t)(c & 7u) * 1000u;
    if (c & 0x80u) {
      size_t n = c & 31u;
      if (n > size - i) n = size - i;
      arduchip_spi_begin(&chip);
      for (size_t k = 0; k < n; k++) (void)arduchip_spi_transfer(&chip, data[i + k]);
      if (c & 0x40u) arduchip_spi_end(&chip);
      i += n;
    } else {
      size_t n = (size_t)(c & 63u) + 1;
      if (n > size - i) n = size - i;
      size_t taken = 0;
      while (taken < n) {
        size_t t = emulink_receive(&link, data + i + taken, n - taken);
        drain(&link);
        if (t == 0 && emulink_tx_pending(&link) == 0) break;
        taken += t;
      }
      i += n;
    }
    emulink_poll(&link);
    drain(&link);
    const emulink_counters_t *counters = emulink_counters(&link);
    require(counters->rx_messages >= previous_messages, "the message counter went back");
    previous_messages = counters->rx_messages;
  }
  return 0;
}

// ---- Seeds (Scripts/fuzz --seeds): written when RIG_FUZZ_SEEDS names a folder. ----

// One host step carrying a framed link message (at most 64 bytes per step, so long ones are
// split over steps).
static size_t host_message(uint8_t *to, uint8_t type, uint16_t seq, const uint8_t *p, uint16_t n) {
  uint8_t m[EMULINK_HEADER_BYTES + 64 + EMULINK_CRC_BYTES];
  m[0] = EMULINK_MAGIC0;
  m[1] = EMULINK_MAGIC1;
  m[2] = type;
  m[3] = 0;
  m[4] = (uint8_t)seq;
  m[5] = (uint8_t)(seq >> 8);
  m[6] = (uint8_t)n;
  m[7] = (uint8_t)(n >> 8);
  if (n > 0) memcpy(m + EMULINK_HEADER_BYTES, p, n);
  uint32_t crc = crc32_bitwise(0, m + 2, EMULINK_HEADER_BYTES - 2 + n);
  for (int k = 0; k < 4; k++) m[EMULINK_HEADER_BYTES + n + k] = (uint8_t)(crc >> (8 * k));
  size_t total = EMULINK_HEADER_BYTES + n + EMULINK_CRC_BYTES, written = 0, used = 0;
  while (written < total) {
    size_t chunk = total - written > 64 ? 64 : total - written;
    to[used++] = (uint8_t)(chunk - 1);
    memcpy(to + used, m + written, chunk);
    used += chunk;
    written += chunk;
  }
  return used;
}

static void write_seed(const char *folder, int index, const uint8_t *bytes, size_t n) {
  char path[4096];
  snprintf(path, sizeof path, "%s/seed-%02d", folder, index);
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(bytes, 1, n, f) != n || fclose(f) != 0) {
    fprintf(stderr, "cannot write %s\n", path);
    exit(1);
  }
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  const char *folder = getenv("RIG_FUZZ_SEEDS");
  if (!folder) return 0;
  mkdir(folder, 0755);
  uint8_t seed[1024];
  size_t n = 0;
  const uint8_t hello[] = {0x00, 0x10};
  const uint8_t events_on[] = {1};
  const uint8_t config[] = {EMULINK_FORMAT_GRAY8, 0, 4, 0, 2, 0, 0x73, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  n += host_message(seed + n, EMULINK_HELLO, 1, hello, sizeof hello);
  write_seed(folder, 0, seed, n);
  n += host_message(seed + n, EMULINK_STATUS, 2, NULL, 0);
  n += host_message(seed + n, 0x0C, 3, events_on, sizeof events_on);
  write_seed(folder, 1, seed, n);
  n += host_message(seed + n, 0x03, 4, config, sizeof config);
  // A register read and a burst read over SPI.
  const uint8_t spi[] = {0xC2, 0x40, 0x00, 0xC4, 0x3C, 0x00, 0x00, 0x00};
  memcpy(seed + n, spi, sizeof spi);
  n += sizeof spi;
  write_seed(folder, 2, seed, n);
  exit(0);
}
