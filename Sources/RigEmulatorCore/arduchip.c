/* SPDX-License-Identifier: Apache-2.0 */
/* ArduChip register model; see include/arduchip.h and docs/camera-emulator.md section 7. */
#include "arduchip.h"

#include <string.h>

#define NO_SLOT (-1)
#define NO_OFFSET 0xFFFFFFFFu

static const uint32_t crc_table[256] = {
  0x00000000u, 0x77073096u, 0xEE0E612Cu, 0x990951BAu, 0x076DC419u, 0x706AF48Fu,
  0xE963A535u, 0x9E6495A3u, 0x0EDB8832u, 0x79DCB8A4u, 0xE0D5E91Eu, 0x97D2D988u,
  0x09B64C2Bu, 0x7EB17CBDu, 0xE7B82D07u, 0x90BF1D91u, 0x1DB71064u, 0x6AB020F2u,
  0xF3B97148u, 0x84BE41DEu, 0x1ADAD47Du, 0x6DDDE4EBu, 0xF4D4B551u, 0x83D385C7u,
  0x136C9856u, 0x646BA8C0u, 0xFD62F97Au, 0x8A65C9ECu, 0x14015C4Fu, 0x63066CD9u,
  0xFA0F3D63u, 0x8D080DF5u, 0x3B6E20C8u, 0x4C69105Eu, 0xD56041E4u, 0xA2677172u,
  0x3C03E4D1u, 0x4B04D447u, 0xD20D85FDu, 0xA50AB56Bu, 0x35B5A8FAu, 0x42B2986Cu,
  0xDBBBC9D6u, 0xACBCF940u, 0x32D86CE3u, 0x45DF5C75u, 0xDCD60DCFu, 0xABD13D59u,
  0x26D930ACu, 0x51DE003Au, 0xC8D75180u, 0xBFD06116u, 0x21B4F4B5u, 0x56B3C423u,
  0xCFBA9599u, 0xB8BDA50Fu, 0x2802B89Eu, 0x5F058808u, 0xC60CD9B2u, 0xB10BE924u,
  0x2F6F7C87u, 0x58684C11u, 0xC1611DABu, 0xB6662D3Du, 0x76DC4190u, 0x01DB7106u,
  0x98D220BCu, 0xEFD5102Au, 0x71B18589u, 0x06B6B51Fu, 0x9FBFE4A5u, 0xE8B8D433u,
  0x7807C9A2u, 0x0F00F934u, 0x9609A88Eu, 0xE10E9818u, 0x7F6A0DBBu, 0x086D3D2Du,
  0x91646C97u, 0xE6635C01u, 0x6B6B51F4u, 0x1C6C6162u, 0x856530D8u, 0xF262004Eu,
  0x6C0695EDu, 0x1B01A57Bu, 0x8208F4C1u, 0xF50FC457u, 0x65B0D9C6u, 0x12B7E950u,
  0x8BBEB8EAu, 0xFCB9887Cu, 0x62DD1DDFu, 0x15DA2D49u, 0x8CD37CF3u, 0xFBD44C65u,
  0x4DB26158u, 0x3AB551CEu, 0xA3BC0074u, 0xD4BB30E2u, 0x4ADFA541u, 0x3DD895D7u,
  0xA4D1C46Du, 0xD3D6F4FBu, 0x4369E96Au, 0x346ED9FCu, 0xAD678846u, 0xDA60B8D0u,
  0x44042D73u, 0x33031DE5u, 0xAA0A4C5Fu, 0xDD0D7CC9u, 0x5005713Cu, 0x270241AAu,
  0xBE0B1010u, 0xC90C2086u, 0x5768B525u, 0x206F85B3u, 0xB966D409u, 0xCE61E49Fu,
  0x5EDEF90Eu, 0x29D9C998u, 0xB0D09822u, 0xC7D7A8B4u, 0x59B33D17u, 0x2EB40D81u,
  0xB7BD5C3Bu, 0xC0BA6CADu, 0xEDB88320u, 0x9ABFB3B6u, 0x03B6E20Cu, 0x74B1D29Au,
  0xEAD54739u, 0x9DD277AFu, 0x04DB2615u, 0x73DC1683u, 0xE3630B12u, 0x94643B84u,
  0x0D6D6A3Eu, 0x7A6A5AA8u, 0xE40ECF0Bu, 0x9309FF9Du, 0x0A00AE27u, 0x7D079EB1u,
  0xF00F9344u, 0x8708A3D2u, 0x1E01F268u, 0x6906C2FEu, 0xF762575Du, 0x806567CBu,
  0x196C3671u, 0x6E6B06E7u, 0xFED41B76u, 0x89D32BE0u, 0x10DA7A5Au, 0x67DD4ACCu,
  0xF9B9DF6Fu, 0x8EBEEFF9u, 0x17B7BE43u, 0x60B08ED5u, 0xD6D6A3E8u, 0xA1D1937Eu,
  0x38D8C2C4u, 0x4FDFF252u, 0xD1BB67F1u, 0xA6BC5767u, 0x3FB506DDu, 0x48B2364Bu,
  0xD80D2BDAu, 0xAF0A1B4Cu, 0x36034AF6u, 0x41047A60u, 0xDF60EFC3u, 0xA867DF55u,
  0x316E8EEFu, 0x4669BE79u, 0xCB61B38Cu, 0xBC66831Au, 0x256FD2A0u, 0x5268E236u,
  0xCC0C7795u, 0xBB0B4703u, 0x220216B9u, 0x5505262Fu, 0xC5BA3BBEu, 0xB2BD0B28u,
  0x2BB45A92u, 0x5CB36A04u, 0xC2D7FFA7u, 0xB5D0CF31u, 0x2CD99E8Bu, 0x5BDEAE1Du,
  0x9B64C2B0u, 0xEC63F226u, 0x756AA39Cu, 0x026D930Au, 0x9C0906A9u, 0xEB0E363Fu,
  0x72076785u, 0x05005713u, 0x95BF4A82u, 0xE2B87A14u, 0x7BB12BAEu, 0x0CB61B38u,
  0x92D28E9Bu, 0xE5D5BE0Du, 0x7CDCEFB7u, 0x0BDBDF21u, 0x86D3D2D4u, 0xF1D4E242u,
  0x68DDB3F8u, 0x1FDA836Eu, 0x81BE16CDu, 0xF6B9265Bu, 0x6FB077E1u, 0x18B74777u,
  0x88085AE6u, 0xFF0F6A70u, 0x66063BCAu, 0x11010B5Cu, 0x8F659EFFu, 0xF862AE69u,
  0x616BFFD3u, 0x166CCF45u, 0xA00AE278u, 0xD70DD2EEu, 0x4E048354u, 0x3903B3C2u,
  0xA7672661u, 0xD06016F7u, 0x4969474Du, 0x3E6E77DBu, 0xAED16A4Au, 0xD9D65ADCu,
  0x40DF0B66u, 0x37D83BF0u, 0xA9BCAE53u, 0xDEBB9EC5u, 0x47B2CF7Fu, 0x30B5FFE9u,
  0xBDBDF21Cu, 0xCABAC28Au, 0x53B39330u, 0x24B4A3A6u, 0xBAD03605u, 0xCDD70693u,
  0x54DE5729u, 0x23D967BFu, 0xB3667A2Eu, 0xC4614AB8u, 0x5D681B02u, 0x2A6F2B94u,
  0xB40BBE37u, 0xC30C8EA1u, 0x5A05DF1Bu, 0x2D02EF8Du,
};

uint32_t arduchip_crc32(uint32_t crc, const uint8_t *data, size_t len) {
  uint32_t c = ~crc;
  for (size_t i = 0; i < len; i++) c = crc_table[(c ^ data[i]) & 0xFFu] ^ (c >> 8);
  return ~c;
}

static uint64_t now_us(const arduchip_t *chip) {
  return chip->clock ? chip->clock(chip->context) : 0;
}

static void emit(arduchip_t *chip, arduchip_event_kind_t kind, uint32_t tag, uint32_t length,
                 uint32_t bytes_read, uint32_t crc, uint64_t time_us) {
  if (!chip->on_event) return;
  arduchip_event_t event;
  event.kind = kind;
  event.sequence = chip->latched_sequence;
  event.tag = tag;
  event.length = length;
  event.bytes_read = bytes_read;
  event.crc32 = crc;
  event.time_us = time_us;
  chip->on_event(chip->context, &event);
}

/* ---- Frame store ---- */

static uint32_t aligned(uint32_t n) {
  return (n + (ARDUCHIP_RAM_ALIGN - 1)) & ~(uint32_t)(ARDUCHIP_RAM_ALIGN - 1);
}

static void slot_release(arduchip_t *chip, int slot) {
  arduchip_slot_t *s = &chip->slots[slot];
  s->state = ARDUCHIP_SLOT_FREE;
  s->refs = 0;
  s->auto_free = 0;
  s->length = 0;
}

/* Drops one use of a slot (a queue entry or the latch). */
static void slot_unref(arduchip_t *chip, int slot) {
  if (slot < 0) return;
  arduchip_slot_t *s = &chip->slots[slot];
  if (s->refs > 0) s->refs--;
  if (s->refs == 0 && s->auto_free) slot_release(chip, slot);
}

/* First fit over the RAM ranges of the slots in use. */
static int find_ram(const arduchip_t *chip, uint32_t length, uint32_t *offset) {
  uint32_t need = aligned(length);
  uint32_t candidate = 0;
  int moved = 1;
  while (moved) {
    moved = 0;
    if (need > chip->ram_size || candidate > chip->ram_size - need) return 0;
    for (int i = 0; i < ARDUCHIP_MAX_SLOTS; i++) {
      const arduchip_slot_t *s = &chip->slots[i];
      if (s->state == ARDUCHIP_SLOT_FREE) continue;
      uint32_t start = s->offset;
      uint32_t end = s->offset + aligned(s->length);
      if (start < candidate + need && candidate < end && need > 0) {
        candidate = end;
        moved = 1;
      }
    }
  }
  *offset = candidate;
  return 1;
}

int arduchip_slot_find_free(const arduchip_t *chip) {
  for (int i = 0; i < ARDUCHIP_MAX_SLOTS; i++) {
    if (chip->slots[i].state == ARDUCHIP_SLOT_FREE) return i;
  }
  return ARDUCHIP_ERR_NO_SLOT;
}

uint32_t arduchip_ram_largest_free(const arduchip_t *chip) {
  /* Used ranges never overlap: walk them in address order and keep the widest gap. */
  uint32_t position = 0;
  uint32_t largest = 0;
  for (;;) {
    int next = NO_SLOT;
    for (int i = 0; i < ARDUCHIP_MAX_SLOTS; i++) {
      const arduchip_slot_t *s = &chip->slots[i];
      if (s->state == ARDUCHIP_SLOT_FREE || s->length == 0 || s->offset < position) continue;
      if (next == NO_SLOT || s->offset < chip->slots[next].offset) next = i;
    }
    uint32_t gap_end = next == NO_SLOT ? chip->ram_size : chip->slots[next].offset;
    if (gap_end - position > largest) largest = gap_end - position;
    if (next == NO_SLOT) return largest;
    position = chip->slots[next].offset + aligned(chip->slots[next].length);
  }
}

int arduchip_slot_load_begin(arduchip_t *chip, uint32_t slot, uint32_t length, uint32_t tag,
                             int auto_free) {
  if (slot >= ARDUCHIP_MAX_SLOTS) return ARDUCHIP_ERR_SLOT;
  arduchip_slot_t *s = &chip->slots[slot];
  if (s->state != ARDUCHIP_SLOT_FREE) return ARDUCHIP_ERR_BUSY;
  uint32_t offset;
  if (!find_ram(chip, length, &offset)) return ARDUCHIP_ERR_NO_RAM;
  s->offset = offset;
  s->length = length;
  s->tag = tag;
  s->crc32 = 0;
  s->refs = 0;
  s->auto_free = auto_free ? 1 : 0;
  s->state = ARDUCHIP_SLOT_LOADING;
  return ARDUCHIP_OK;
}

int arduchip_slot_load_data(arduchip_t *chip, uint32_t slot, uint32_t offset,
                            const uint8_t *data, uint32_t len) {
  if (slot >= ARDUCHIP_MAX_SLOTS) return ARDUCHIP_ERR_SLOT;
  arduchip_slot_t *s = &chip->slots[slot];
  if (s->state != ARDUCHIP_SLOT_LOADING) return ARDUCHIP_ERR_STATE;
  if (offset > s->length || len > s->length - offset) return ARDUCHIP_ERR_RANGE;
  memcpy(chip->ram + s->offset + offset, data, len);
  return ARDUCHIP_OK;
}

int arduchip_slot_load_end(arduchip_t *chip, uint32_t slot, int check_crc, uint32_t expected_crc) {
  if (slot >= ARDUCHIP_MAX_SLOTS) return ARDUCHIP_ERR_SLOT;
  arduchip_slot_t *s = &chip->slots[slot];
  if (s->state != ARDUCHIP_SLOT_LOADING) return ARDUCHIP_ERR_STATE;
  s->crc32 = arduchip_crc32(0, chip->ram + s->offset, s->length);
  if (check_crc && s->crc32 != expected_crc) {
    slot_release(chip, (int)slot);
    return ARDUCHIP_ERR_CRC;
  }
  s->state = ARDUCHIP_SLOT_READY;
  return ARDUCHIP_OK;
}

int arduchip_slot_free(arduchip_t *chip, uint32_t slot) {
  if (slot >= ARDUCHIP_MAX_SLOTS) return ARDUCHIP_ERR_SLOT;
  arduchip_slot_t *s = &chip->slots[slot];
  if (s->state == ARDUCHIP_SLOT_FREE) return ARDUCHIP_OK;
  if (s->refs == 0) {
    slot_release(chip, (int)slot);
  } else {
    /* Still queued or latched: the DUT may be reading it, so it goes when it is last used. */
    s->auto_free = 1;
  }
  return ARDUCHIP_OK;
}

/* ---- Capture state machine ---- */

static void reset_read(arduchip_t *chip) {
  chip->read_pointer = 0;
  chip->read_crc = 0xFFFFFFFFu;
  chip->read_bytes = 0;
  chip->read_done_sent = 0;
}

static void drop_latch(arduchip_t *chip) {
  int previous = chip->latched;
  chip->latched = NO_SLOT;
  chip->reported_length = 0;
  chip->corrupt_offset = NO_OFFSET;
  chip->truncate_at = NO_OFFSET;
  chip->capture_stuck = 0;
  slot_unref(chip, previous);
}

static uint32_t take_fault(arduchip_t *chip, arduchip_fault_kind_t kind, int *armed) {
  *armed = chip->fault_mode[kind] != ARDUCHIP_FAULT_OFF;
  if (chip->fault_mode[kind] == ARDUCHIP_FAULT_ONCE) chip->fault_mode[kind] = ARDUCHIP_FAULT_OFF;
  return chip->fault_param[kind];
}

/* Moves a running capture to done when its delay has passed. */
static void update_time(arduchip_t *chip, uint64_t now) {
  if (chip->capture_state != ARDUCHIP_CAPTURE_RUNNING || chip->capture_stuck) return;
  if (now < chip->done_at_us) return;
  chip->capture_state = ARDUCHIP_CAPTURE_DONE;
  chip->counters.frames_served++;
  const arduchip_slot_t *s = &chip->slots[chip->latched];
  emit(chip, ARDUCHIP_EVENT_CAPTURE_DONE, s->tag, s->length, 0, 0, now);
}

static void latch(arduchip_t *chip, int slot, uint64_t now) {
  const arduchip_slot_t *s = &chip->slots[slot];
  uint32_t length = s->length;
  int armed;
  uint32_t param;
  chip->latched = (int16_t)slot;
  chip->reported_length = length;
  chip->corrupt_offset = NO_OFFSET;
  chip->truncate_at = NO_OFFSET;
  chip->capture_stuck = 0;
  reset_read(chip);

  param = take_fault(chip, ARDUCHIP_FAULT_CORRUPT_BYTE, &armed);
  if (armed && length > 0) chip->corrupt_offset = param < length ? param : length / 2;
  param = take_fault(chip, ARDUCHIP_FAULT_TRUNCATE, &armed);
  if (armed) chip->truncate_at = (param > 0 && param < length) ? param : length / 2;
  param = take_fault(chip, ARDUCHIP_FAULT_LEN_WRONG, &armed);
  if (armed) chip->reported_length = param > 0 ? param : length / 2;
  take_fault(chip, ARDUCHIP_FAULT_LEN_OVERSIZE, &armed);
  if (armed) chip->reported_length = chip->config.max_fifo;
  take_fault(chip, ARDUCHIP_FAULT_LEN_ZERO, &armed);
  if (armed) chip->reported_length = 0;
  take_fault(chip, ARDUCHIP_FAULT_CAPDONE_STUCK, &armed);
  chip->capture_stuck = (uint8_t)armed;

  chip->capture_state = ARDUCHIP_CAPTURE_RUNNING;
  chip->done_at_us = now + chip->config.capture_delay_us;
  update_time(chip, now);
}

/* The frame the next capture gets, per play mode, with its use counted; NO_SLOT if none. */
static int pick_frame(arduchip_t *chip, int previous) {
  if (chip->mode == ARDUCHIP_PLAY_LOOP) {
    if (chip->queue_count == 0) return NO_SLOT;
    if (chip->loop_cursor >= chip->queue_count) chip->loop_cursor = 0;
    int slot = chip->queue[(chip->queue_head + chip->loop_cursor) % ARDUCHIP_QUEUE_DEPTH];
    chip->loop_cursor = (chip->loop_cursor + 1) % chip->queue_count;
    chip->slots[slot].refs++;
    return slot;
  }
  if (chip->queue_count > 0) {
    /* The queue entry's use moves to the latch. */
    int slot = chip->queue[chip->queue_head];
    chip->queue_head = (chip->queue_head + 1) % ARDUCHIP_QUEUE_DEPTH;
    chip->queue_count--;
    return slot;
  }
  if (chip->mode == ARDUCHIP_PLAY_HOLD && previous != NO_SLOT) {
    chip->slots[previous].refs++;
    return previous;
  }
  return NO_SLOT;
}

static void start_capture(arduchip_t *chip, uint64_t now) {
  if (chip->regs[ARDUCHIP_REG_RESET] & ARDUCHIP_RESET_BIT) return; /* held in reset */
  int previous = chip->latched;
  int next = pick_frame(chip, previous);
  /* Release the old frame only after picking, so hold mode can pick it again. */
  drop_latch(chip);
  reset_read(chip);
  chip->counters.captures_started++;
  chip->latched_sequence = chip->counters.captures_started;
  emit(chip, ARDUCHIP_EVENT_CAPTURE_START, 0, 0, 0, 0, now);
  if (next == NO_SLOT) {
    chip->capture_state = ARDUCHIP_CAPTURE_PENDING;
  } else {
    latch(chip, next, now);
  }
}

static void clear_flag(arduchip_t *chip) {
  chip->counters.clears++;
  if (chip->capture_state == ARDUCHIP_CAPTURE_DONE) {
    /* The latched frame and its length stay readable until the next START. */
    chip->capture_state = ARDUCHIP_CAPTURE_CLEARED;
  } else if (chip->capture_state == ARDUCHIP_CAPTURE_PENDING) {
    /* A flush cancels a capture that never got a frame, so a stopped DUT does not swallow the
     * next frame the host queues. */
    chip->capture_state = ARDUCHIP_CAPTURE_IDLE;
  }
  reset_read(chip);
}

/* Everything but the scratch register, the frame store and the queue. */
static void reset_registers(arduchip_t *chip) {
  uint8_t scratch = chip->regs[ARDUCHIP_REG_TEST];
  uint8_t reset = chip->regs[ARDUCHIP_REG_RESET];
  drop_latch(chip);
  memset(chip->regs, 0, sizeof chip->regs);
  chip->regs[ARDUCHIP_REG_TEST] = scratch;
  chip->regs[ARDUCHIP_REG_RESET] = reset;
  chip->capture_state = ARDUCHIP_CAPTURE_IDLE;
  chip->vsync = 0;
  reset_read(chip);
}

/* ---- Registers ---- */

static int is_known_read(uint8_t addr) {
  return addr <= ARDUCHIP_REG_RESET || addr == ARDUCHIP_REG_BURST_FIFO_READ ||
         addr == ARDUCHIP_REG_SINGLE_FIFO_READ ||
         (addr >= ARDUCHIP_REG_REV && addr <= ARDUCHIP_REG_FIFO_SIZE3) ||
         (addr >= ARDUCHIP_REG_EXT_SEQUENCE && addr <= ARDUCHIP_REG_EXT_CRC + 3);
}

static uint8_t read_register(arduchip_t *chip, uint8_t addr) {
  int armed;
  switch (addr) {
  case ARDUCHIP_REG_TEST:
    take_fault(chip, ARDUCHIP_FAULT_TESTREG_FAIL, &armed);
    return armed ? (uint8_t)~chip->regs[addr] : chip->regs[addr];
  case ARDUCHIP_REG_FIFO:
    return 0;
  case ARDUCHIP_REG_REV:
    return chip->config.version;
  case ARDUCHIP_REG_TRIG: {
    uint8_t value = 0;
    if (chip->capture_state == ARDUCHIP_CAPTURE_DONE) value |= ARDUCHIP_TRIG_CAP_DONE;
    if (chip->capture_state == ARDUCHIP_CAPTURE_RUNNING ||
        chip->capture_state == ARDUCHIP_CAPTURE_PENDING) {
      chip->vsync ^= 1;
      value |= chip->vsync ? ARDUCHIP_TRIG_VSYNC : 0;
    }
    return value;
  }
  case ARDUCHIP_REG_FIFO_SIZE1:
  case ARDUCHIP_REG_FIFO_SIZE2:
  case ARDUCHIP_REG_FIFO_SIZE3: {
    int latched = chip->capture_state == ARDUCHIP_CAPTURE_DONE ||
                  chip->capture_state == ARDUCHIP_CAPTURE_CLEARED;
    uint32_t length = latched ? chip->reported_length & 0x7FFFFFu : 0;
    return (uint8_t)(length >> (8 * (addr - ARDUCHIP_REG_FIFO_SIZE1)));
  }
  default:
    break;
  }
  if (addr >= ARDUCHIP_REG_EXT_SEQUENCE && addr <= ARDUCHIP_REG_EXT_CRC + 3) {
    uint32_t value = 0;
    if (chip->latched != NO_SLOT) {
      value = addr < ARDUCHIP_REG_EXT_CRC ? chip->latched_sequence
                                          : chip->slots[chip->latched].crc32;
    }
    return (uint8_t)(value >> (8 * ((addr - ARDUCHIP_REG_EXT_SEQUENCE) & 3)));
  }
  if (!is_known_read(addr)) chip->counters.unknown_accesses++;
  return chip->regs[addr];
}

static void write_register(arduchip_t *chip, uint8_t addr, uint8_t value, uint64_t now) {
  if (addr == ARDUCHIP_REG_FIFO) {
    if (value & ARDUCHIP_FIFO_CLEAR) clear_flag(chip);
    if (value & ARDUCHIP_FIFO_RDPTR_RESET) reset_read(chip);
    /* WRPTR_RESET has nothing to do: frames are written by the host, not a sensor. */
    if (value & ARDUCHIP_FIFO_START) start_capture(chip, now);
    return;
  }
  if (addr == ARDUCHIP_REG_RESET) {
    uint8_t before = chip->regs[addr];
    chip->regs[addr] = value;
    if ((value & ARDUCHIP_RESET_BIT) && !(before & ARDUCHIP_RESET_BIT)) reset_registers(chip);
    return;
  }
  if (addr < ARDUCHIP_REG_RESET) {
    chip->regs[addr] = value;
    return;
  }
  if (is_known_read(addr)) return; /* read-only registers ignore writes */
  chip->counters.unknown_accesses++;
  chip->regs[addr] = value;
}

/* ---- FIFO ---- */

static uint8_t fifo_next(arduchip_t *chip) {
  uint8_t b = chip->config.fill;
  chip->counters.bytes_read++;
  if (chip->latched == NO_SLOT || chip->capture_state == ARDUCHIP_CAPTURE_RUNNING ||
      chip->capture_state == ARDUCHIP_CAPTURE_PENDING) {
    return b;
  }
  const arduchip_slot_t *s = &chip->slots[chip->latched];
  uint32_t rp = chip->read_pointer;
  if (rp < s->length) {
    if (rp < chip->truncate_at) b = chip->ram[s->offset + rp];
    if (rp == chip->corrupt_offset) b = (uint8_t)~b;
  }
  if (chip->read_pointer < 0xFFFFFFFFu) chip->read_pointer++;
  if (!chip->read_done_sent) {
    uint32_t c = chip->read_crc;
    chip->read_crc = crc_table[(c ^ b) & 0xFFu] ^ (c >> 8);
    chip->read_bytes++;
    if (chip->read_pointer == s->length) {
      chip->read_done_sent = 1;
      emit(chip, ARDUCHIP_EVENT_READ_DONE, s->tag, s->length, chip->read_bytes, ~chip->read_crc,
           now_us(chip));
    }
  }
  return b;
}

/* ---- SPI ---- */

void arduchip_spi_begin(arduchip_t *chip) {
  update_time(chip, now_us(chip));
  chip->cs_active = 1;
  chip->cs_index = 0;
  chip->cs_command = 0;
  chip->cs_value = 0;
  chip->cs_dummy_left = 0;
  chip->counters.cs_transactions++;
}

void arduchip_spi_end(arduchip_t *chip) {
  chip->cs_active = 0;
}

uint8_t arduchip_spi_transfer(arduchip_t *chip, uint8_t mosi) {
  if (!chip->cs_active) return 0xFF; /* MISO floats with CS high */
  uint32_t index = chip->cs_index;
  if (chip->cs_index < 0xFFFFFFFFu) chip->cs_index++;
  if (index == 0) {
    chip->cs_command = mosi;
    if (mosi & ARDUCHIP_WRITE_BIT) return 0x00;
    uint8_t addr = mosi & 0x7F;
    if (addr == ARDUCHIP_REG_BURST_FIFO_READ) {
      chip->counters.burst_reads++;
      chip->cs_dummy_left = chip->config.burst_dummy ? 1 : 0;
    } else if (addr == ARDUCHIP_REG_SINGLE_FIFO_READ) {
      chip->counters.single_reads++;
    } else {
      /* The value is sampled once, after the address: it goes out in the next byte. */
      chip->counters.register_reads++;
      chip->cs_value = read_register(chip, addr);
    }
    return 0x00;
  }
  uint8_t command = chip->cs_command;
  if (command & ARDUCHIP_WRITE_BIT) {
    if (index == 1) {
      chip->counters.register_writes++;
      write_register(chip, command & 0x7F, mosi, now_us(chip));
    }
    return 0x00;
  }
  if (command == ARDUCHIP_REG_BURST_FIFO_READ) {
    if (chip->cs_dummy_left) {
      chip->cs_dummy_left--;
      return chip->config.fill;
    }
    return fifo_next(chip);
  }
  if (command == ARDUCHIP_REG_SINGLE_FIFO_READ) {
    return index == 1 ? fifo_next(chip) : chip->config.fill;
  }
  return chip->cs_value;
}

/* n FIFO bytes of a burst: the same bytes, counters and events as n calls of fifo_next, without
 * the per-byte call and command decoding (a 96x96 frame is 9,216 bytes). */
static void fifo_read_block(arduchip_t *chip, uint8_t *out, size_t n) {
  while (n > 0) {
    const arduchip_slot_t *s = chip->latched == NO_SLOT ? NULL : &chip->slots[chip->latched];
    int serving = s != NULL && (chip->capture_state == ARDUCHIP_CAPTURE_DONE ||
                                chip->capture_state == ARDUCHIP_CAPTURE_CLEARED);
    uint32_t rp = chip->read_pointer;
    if (!serving || rp >= s->length || chip->read_done_sent) {
      /* Nothing left to stream: the byte-wise path handles fill and pointer bookkeeping. */
      uint8_t b = fifo_next(chip);
      if (out) *out++ = b;
      n--;
      continue;
    }
    uint32_t run = s->length - rp;
    if (run > n) run = (uint32_t)n;
    const uint8_t *source = chip->ram + s->offset;
    uint32_t c = chip->read_crc;
    for (uint32_t i = 0; i < run; i++, rp++) {
      uint8_t b = rp < chip->truncate_at ? source[rp] : chip->config.fill;
      if (rp == chip->corrupt_offset) b = (uint8_t)~b;
      if (out) out[i] = b;
      c = crc_table[(c ^ b) & 0xFFu] ^ (c >> 8);
    }
    chip->read_crc = c;
    chip->read_pointer = rp;
    chip->read_bytes += run;
    chip->counters.bytes_read += run;
    if (out) out += run;
    n -= run;
    if (rp == s->length) {
      chip->read_done_sent = 1;
      emit(chip, ARDUCHIP_EVENT_READ_DONE, s->tag, s->length, chip->read_bytes, ~c, now_us(chip));
    }
  }
}

void arduchip_spi_transfer_block(arduchip_t *chip, const uint8_t *mosi, uint8_t *miso, size_t n) {
  if (chip->cs_active && chip->cs_index > 0 && chip->cs_command == ARDUCHIP_REG_BURST_FIFO_READ &&
      chip->cs_dummy_left == 0) {
    fifo_read_block(chip, miso, n);
    chip->cs_index = n > 0xFFFFFFFFu - chip->cs_index ? 0xFFFFFFFFu : chip->cs_index + (uint32_t)n;
    return;
  }
  for (size_t i = 0; i < n; i++) {
    uint8_t b = arduchip_spi_transfer(chip, mosi ? mosi[i] : 0x00);
    if (miso) miso[i] = b;
  }
}

/* ---- I2C ---- */

static int i2c_acknowledges(arduchip_t *chip, uint8_t address) {
  int armed;
  take_fault(chip, ARDUCHIP_FAULT_I2C_NACK, &armed);
  return !armed && address == ARDUCHIP_SENSOR_ADDRESS;
}

int arduchip_i2c_write(arduchip_t *chip, uint8_t address, uint8_t reg, uint8_t value) {
  if (!i2c_acknowledges(chip, address)) return 0;
  chip->counters.i2c_writes++;
  if (reg == ARDUCHIP_SENSOR_BANK_REG) chip->sensor_bank = value & 0x01;
  chip->sensor_regs[chip->sensor_bank][reg] = value;
  uint8_t record[3] = {chip->sensor_bank, reg, value};
  chip->sensor_digest = arduchip_crc32(chip->sensor_digest, record, sizeof record);
  return 1;
}

int arduchip_i2c_read(arduchip_t *chip, uint8_t address, uint8_t reg, uint8_t *value) {
  if (!i2c_acknowledges(chip, address)) return 0;
  chip->counters.i2c_reads++;
  if (reg == ARDUCHIP_SENSOR_BANK_REG) {
    *value = chip->sensor_bank;
  } else if (chip->sensor_bank == 1 && reg == 0x0A) {
    *value = ARDUCHIP_SENSOR_PID;
  } else if (chip->sensor_bank == 1 && reg == 0x0B) {
    *value = ARDUCHIP_SENSOR_VER;
  } else {
    *value = chip->sensor_regs[chip->sensor_bank][reg];
  }
  return 1;
}

/* ---- Queue ---- */

int arduchip_queue_push(arduchip_t *chip, uint32_t slot) {
  if (slot >= ARDUCHIP_MAX_SLOTS) return ARDUCHIP_ERR_SLOT;
  if (chip->slots[slot].state != ARDUCHIP_SLOT_READY) return ARDUCHIP_ERR_STATE;
  if (chip->queue_count >= ARDUCHIP_QUEUE_DEPTH) return ARDUCHIP_ERR_QUEUE_FULL;
  chip->queue[(chip->queue_head + chip->queue_count) % ARDUCHIP_QUEUE_DEPTH] = (uint8_t)slot;
  chip->queue_count++;
  chip->slots[slot].refs++;
  if (chip->capture_state == ARDUCHIP_CAPTURE_PENDING) {
    /* A capture was waiting for exactly this: it gets the frame now. */
    int next = pick_frame(chip, NO_SLOT);
    if (next != NO_SLOT) latch(chip, next, now_us(chip));
  }
  return ARDUCHIP_OK;
}

void arduchip_queue_clear(arduchip_t *chip) {
  while (chip->queue_count > 0) {
    int slot = chip->queue[chip->queue_head];
    chip->queue_head = (chip->queue_head + 1) % ARDUCHIP_QUEUE_DEPTH;
    chip->queue_count--;
    slot_unref(chip, slot);
  }
  chip->queue_head = 0;
  chip->loop_cursor = 0;
}

uint32_t arduchip_queue_depth(const arduchip_t *chip) {
  return chip->queue_count;
}

void arduchip_set_mode(arduchip_t *chip, arduchip_play_mode_t mode) {
  chip->mode = (uint8_t)mode;
  chip->loop_cursor = 0;
}

int arduchip_stream_frame(arduchip_t *chip, const uint8_t *data, uint32_t length, uint32_t tag) {
  if (chip->queue_count >= ARDUCHIP_QUEUE_DEPTH) return ARDUCHIP_ERR_QUEUE_FULL;
  int slot = arduchip_slot_find_free(chip);
  if (slot < 0) return slot;
  int result = arduchip_slot_load_begin(chip, (uint32_t)slot, length, tag, 1);
  if (result != ARDUCHIP_OK) return result;
  arduchip_slot_load_data(chip, (uint32_t)slot, 0, data, length);
  arduchip_slot_load_end(chip, (uint32_t)slot, 0, 0);
  result = arduchip_queue_push(chip, (uint32_t)slot);
  if (result != ARDUCHIP_OK) {
    slot_release(chip, slot);
    return result;
  }
  return slot;
}

/* ---- Lifecycle, time, faults ---- */

void arduchip_default_config(arduchip_config_t *config) {
  config->version = 0x73;
  config->fill = 0x00;
  config->burst_dummy = 0;
  config->capture_delay_us = 0;
  config->max_fifo = ARDUCHIP_MAX_FIFO_MINI_2MP;
}

void arduchip_init(arduchip_t *chip, const arduchip_config_t *config, uint8_t *ram,
                   uint32_t ram_size, arduchip_clock_fn clock, arduchip_event_fn on_event,
                   void *context) {
  memset(chip, 0, sizeof *chip);
  chip->config = *config;
  chip->ram = ram;
  chip->ram_size = ram_size;
  chip->clock = clock;
  chip->on_event = on_event;
  chip->context = context;
  arduchip_reset(chip);
}

void arduchip_reset(arduchip_t *chip) {
  for (int i = 0; i < ARDUCHIP_MAX_SLOTS; i++) slot_release(chip, i);
  chip->queue_head = 0;
  chip->queue_count = 0;
  chip->loop_cursor = 0;
  chip->mode = ARDUCHIP_PLAY_LOCKSTEP;
  memset(chip->regs, 0, sizeof chip->regs);
  memset(chip->sensor_regs, 0, sizeof chip->sensor_regs);
  chip->sensor_bank = 0;
  chip->sensor_digest = 0;
  chip->capture_state = ARDUCHIP_CAPTURE_IDLE;
  chip->latched = NO_SLOT;
  chip->latched_sequence = 0;
  chip->reported_length = 0;
  chip->corrupt_offset = NO_OFFSET;
  chip->truncate_at = NO_OFFSET;
  chip->capture_stuck = 0;
  chip->vsync = 0;
  chip->done_at_us = 0;
  reset_read(chip);
  chip->cs_active = 0;
  chip->cs_index = 0;
  memset(chip->fault_mode, 0, sizeof chip->fault_mode);
  memset(chip->fault_param, 0, sizeof chip->fault_param);
  memset(&chip->counters, 0, sizeof chip->counters);
}

void arduchip_configure(arduchip_t *chip, const arduchip_config_t *config) {
  chip->config = *config;
}

void arduchip_poll(arduchip_t *chip) {
  update_time(chip, now_us(chip));
}

uint64_t arduchip_next_wake_us(const arduchip_t *chip) {
  if (chip->capture_state == ARDUCHIP_CAPTURE_RUNNING && !chip->capture_stuck) {
    return chip->done_at_us;
  }
  return UINT64_MAX;
}

void arduchip_set_fault(arduchip_t *chip, arduchip_fault_kind_t kind, arduchip_fault_mode_t mode,
                        uint32_t param) {
  if ((unsigned)kind >= ARDUCHIP_FAULT_KIND_COUNT) return;
  chip->fault_mode[kind] = (uint8_t)mode;
  chip->fault_param[kind] = param;
}

const arduchip_counters_t *arduchip_counters(const arduchip_t *chip) {
  return &chip->counters;
}
