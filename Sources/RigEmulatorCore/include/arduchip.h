/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ArduChip register model: the device side of rig's SPI camera emulator
 * (docs/simulated-bench.md, section 3).
 *
 * The model answers an unmodified ArduCAM driver at transaction level: chip-select windows of
 * SPI bytes in, MISO bytes out, plus the OV2640's I2C identity. It serves frames from a frame
 * store in caller-provided RAM through a play queue, and reports what the DUT did through an
 * event callback.
 *
 * Portable C99: no malloc, no stdio, no OS calls. The caller owns the state struct and the frame
 * RAM, and supplies a microsecond clock. The same code runs inside rig's simulated bench and in
 * emulator firmware (RP2040), where the host link protocol drives the frame store and the queue.
 *
 * Threading: none inside. Every call on one arduchip_t must be serialised by the caller (a lock
 * in the simulator; the main loop or an IRQ-masked section in firmware). The event callback runs
 * inside the call that caused the event.
 */
#ifndef RIG_ARDUCHIP_H
#define RIG_ARDUCHIP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ArduChip registers (ArduCAM.h) and the project extension at 0x50-0x57. */
#define ARDUCHIP_REG_TEST 0x00
#define ARDUCHIP_REG_FRAMES 0x01
#define ARDUCHIP_REG_MODE 0x02
#define ARDUCHIP_REG_TIM 0x03
#define ARDUCHIP_REG_FIFO 0x04
#define ARDUCHIP_REG_GPIO_DIR 0x05
#define ARDUCHIP_REG_GPIO 0x06
#define ARDUCHIP_REG_RESET 0x07
#define ARDUCHIP_REG_BURST_FIFO_READ 0x3C
#define ARDUCHIP_REG_SINGLE_FIFO_READ 0x3D
#define ARDUCHIP_REG_REV 0x40
#define ARDUCHIP_REG_TRIG 0x41
#define ARDUCHIP_REG_FIFO_SIZE1 0x42
#define ARDUCHIP_REG_FIFO_SIZE2 0x43
#define ARDUCHIP_REG_FIFO_SIZE3 0x44
#define ARDUCHIP_REG_EXT_SEQUENCE 0x50 /* 0x50-0x53: capture sequence of the latched frame, LE32 */
#define ARDUCHIP_REG_EXT_CRC 0x54      /* 0x54-0x57: CRC32 of the latched frame as loaded, LE32 */

#define ARDUCHIP_WRITE_BIT 0x80
#define ARDUCHIP_FIFO_CLEAR 0x01
#define ARDUCHIP_FIFO_START 0x02
#define ARDUCHIP_FIFO_RDPTR_RESET 0x10
#define ARDUCHIP_FIFO_WRPTR_RESET 0x20
#define ARDUCHIP_TRIG_VSYNC 0x01
#define ARDUCHIP_TRIG_CAP_DONE 0x08
#define ARDUCHIP_RESET_BIT 0x80

/* OV2640 over I2C/SCCB. */
#define ARDUCHIP_SENSOR_ADDRESS 0x30 /* 7-bit; the ArduCAM library writes it as 0x60 */
#define ARDUCHIP_SENSOR_BANK_REG 0xFF
#define ARDUCHIP_SENSOR_PID 0x26      /* bank 1, register 0x0A */
#define ARDUCHIP_SENSOR_VER 0x42      /* bank 1, register 0x0B */

/* MAX_FIFO_SIZE of the Mini 2MP; drivers reject a length >= this. */
#define ARDUCHIP_MAX_FIFO_MINI_2MP 0x5FFFFu

/* Frame store and queue sizes (fixed so the state struct needs no allocation). */
#define ARDUCHIP_MAX_SLOTS 64
#define ARDUCHIP_QUEUE_DEPTH 64
/* Frame RAM offsets are aligned to this. */
#define ARDUCHIP_RAM_ALIGN 4
/* A fault armed for this tag applies to whichever frame is latched next. */
#define ARDUCHIP_ANY_TAG 0xFFFFFFFFu

/* Results of the frame-store and queue calls. */
typedef enum {
  ARDUCHIP_OK = 0,
  ARDUCHIP_ERR_SLOT = -1,     /* slot index out of range */
  ARDUCHIP_ERR_BUSY = -2,     /* slot already holds a frame (free it first) */
  ARDUCHIP_ERR_NO_RAM = -3,   /* no free stretch of frame RAM that large */
  ARDUCHIP_ERR_QUEUE_FULL = -4,
  ARDUCHIP_ERR_RANGE = -5,    /* data past the length given to load_begin */
  ARDUCHIP_ERR_CRC = -6,      /* the loaded bytes do not have the CRC the host announced */
  ARDUCHIP_ERR_STATE = -7,    /* slot is not in the state the call needs */
  ARDUCHIP_ERR_NO_SLOT = -8,  /* every slot is in use */
} arduchip_result_t;

/* How START picks the frame to latch. */
typedef enum {
  /* Each queued frame answers exactly one START; with the queue empty the capture stays pending
   * until a frame is queued. */
  ARDUCHIP_PLAY_LOCKSTEP = 0,
  /* The queue is a play list that repeats from the start; nothing is consumed. */
  ARDUCHIP_PLAY_LOOP = 1,
  /* Like lockstep, but with the queue empty the last latched frame answers again. */
  ARDUCHIP_PLAY_HOLD = 2,
} arduchip_play_mode_t;

typedef enum {
  ARDUCHIP_EVENT_CAPTURE_START = 1,
  ARDUCHIP_EVENT_CAPTURE_DONE = 2,
  /* The read pointer reached the latched frame's length. */
  ARDUCHIP_EVENT_READ_DONE = 3,
} arduchip_event_kind_t;

/* arduchip_event_t.flags */
#define ARDUCHIP_EVENT_PARTIAL 0x01u /* READ_DONE: the read ended before the frame's length */

typedef struct {
  arduchip_event_kind_t kind;
  uint32_t sequence;   /* capture sequence: 1 for the first START after reset */
  uint32_t tag;        /* tag of the latched frame (CAPTURE_DONE, READ_DONE) */
  uint32_t length;     /* true length of the latched frame (CAPTURE_DONE, READ_DONE) */
  uint32_t bytes_read; /* FIFO bytes clocked out for this frame (READ_DONE) */
  uint32_t crc32;      /* CRC32 of exactly those bytes, as the DUT received them (READ_DONE) */
  uint64_t time_us;    /* caller clock */
  uint32_t reported_length; /* what 0x42-0x44 read (CAPTURE_DONE, READ_DONE) */
  uint32_t faults;     /* bit (1 << arduchip_fault_kind_t) per fault applied to the latched frame */
  uint32_t flags;      /* ARDUCHIP_EVENT_PARTIAL */
} arduchip_event_t;

typedef void (*arduchip_event_fn)(void *context, const arduchip_event_t *event);
/* Monotonic microseconds. */
typedef uint64_t (*arduchip_clock_fn)(void *context);

/* Fault injection. ONCE applies to the next frame latched (or next access for TESTREG_FAIL and
 * I2C_NACK) and then disarms itself; ALWAYS stays until set OFF. A frame fault may be aimed at
 * one frame by its tag (arduchip_set_fault_for): it then waits until that frame is latched. */
typedef enum {
  ARDUCHIP_FAULT_CORRUPT_BYTE = 0, /* one byte of the frame reads inverted; param = offset
                                    * (param >= length: the middle byte) */
  ARDUCHIP_FAULT_LEN_ZERO,         /* 0x42-0x44 read 0 */
  ARDUCHIP_FAULT_LEN_OVERSIZE,     /* 0x42-0x44 read max_fifo */
  ARDUCHIP_FAULT_LEN_WRONG,        /* 0x42-0x44 read param (0: half the true length) */
  ARDUCHIP_FAULT_CAPDONE_STUCK,    /* CAP_DONE never sets for the capture */
  ARDUCHIP_FAULT_TESTREG_FAIL,     /* the scratch register reads back inverted */
  ARDUCHIP_FAULT_I2C_NACK,         /* the sensor does not acknowledge */
  ARDUCHIP_FAULT_TRUNCATE,         /* FIFO bytes from param on read as fill (0: from half) */
  ARDUCHIP_FAULT_KIND_COUNT
} arduchip_fault_kind_t;

typedef enum {
  ARDUCHIP_FAULT_OFF = 0,
  ARDUCHIP_FAULT_ONCE = 1,
  ARDUCHIP_FAULT_ALWAYS = 2,
} arduchip_fault_mode_t;

typedef struct {
  uint8_t version;           /* value of 0x40 */
  uint8_t fill;              /* byte returned past the end of the frame */
  uint8_t burst_dummy;       /* 1: one leading dummy byte after 0x3C ("old ArduChip") */
  uint32_t capture_delay_us; /* START (or the frame arriving, when pending) to CAP_DONE */
  uint32_t max_fifo;         /* MAX_FIFO_SIZE of the emulated module, for LEN_OVERSIZE */
} arduchip_config_t;

typedef struct {
  uint32_t captures_started;
  uint32_t frames_served;     /* captures that completed with a frame latched */
  uint64_t bytes_read;        /* FIFO bytes clocked out, including fill past the end */
  uint32_t burst_reads;       /* 0x3C transactions */
  uint32_t single_reads;      /* 0x3D transactions */
  uint32_t register_reads;
  uint32_t register_writes;
  uint32_t cs_transactions;
  uint32_t unknown_accesses;  /* reads or writes of registers the model does not define */
  uint32_t clears;
  uint32_t i2c_writes;
  uint32_t i2c_reads;
} arduchip_counters_t;

typedef enum {
  ARDUCHIP_SLOT_FREE = 0,
  ARDUCHIP_SLOT_LOADING = 1,
  ARDUCHIP_SLOT_READY = 2,
} arduchip_slot_state_t;

typedef struct {
  uint32_t offset; /* into frame RAM */
  uint32_t length;
  uint32_t tag;
  uint32_t crc32;  /* of the loaded bytes, computed by the model */
  uint8_t state;   /* arduchip_slot_state_t */
  uint8_t auto_free; /* freed by the model once no longer queued or latched */
  uint16_t refs;   /* queue entries + latch */
} arduchip_slot_t;

typedef enum {
  ARDUCHIP_CAPTURE_IDLE = 0,
  ARDUCHIP_CAPTURE_PENDING = 1,   /* START seen, waiting for a frame (lockstep, empty queue) */
  ARDUCHIP_CAPTURE_RUNNING = 2,   /* frame latched, CAP_DONE after the delay */
  ARDUCHIP_CAPTURE_DONE = 3,      /* CAP_DONE set */
  ARDUCHIP_CAPTURE_CLEARED = 4,   /* CAP_DONE cleared; latched frame still readable */
} arduchip_capture_state_t;

typedef struct {
  arduchip_config_t config;
  uint8_t *ram;
  uint32_t ram_size;
  arduchip_clock_fn clock;
  arduchip_event_fn on_event;
  void *context;

  uint8_t regs[128]; /* stored register values */
  uint8_t sensor_bank;
  uint8_t sensor_regs[2][256];
  uint32_t sensor_digest; /* CRC32 over (bank, reg, value) of every sensor write since reset */

  arduchip_slot_t slots[ARDUCHIP_MAX_SLOTS];
  uint8_t queue[ARDUCHIP_QUEUE_DEPTH];
  uint32_t queue_head;
  uint32_t queue_count;
  uint32_t loop_cursor;
  uint8_t mode; /* arduchip_play_mode_t */

  /* Capture and FIFO state. */
  uint8_t capture_state; /* arduchip_capture_state_t */
  int16_t latched;       /* slot index, -1 for none */
  uint32_t latched_sequence;
  uint32_t reported_length; /* what 0x42-0x44 read for the latched frame */
  uint32_t corrupt_offset;  /* UINT32_MAX for none */
  uint32_t truncate_at;     /* FIFO offset from which bytes read as fill; length for none */
  uint8_t capture_stuck;
  uint8_t vsync;
  uint64_t done_at_us;
  uint32_t read_pointer;
  uint32_t read_crc;       /* running CRC state of the bytes clocked out */
  uint32_t read_bytes;
  uint8_t read_done_sent;

  /* The current chip-select window. */
  uint8_t cs_active;
  uint32_t cs_index;      /* bytes transferred in this window */
  uint8_t cs_command;
  uint8_t cs_value;       /* register value for a single read */
  uint8_t cs_dummy_left;  /* leading dummy bytes still owed in a burst */

  uint8_t fault_mode[ARDUCHIP_FAULT_KIND_COUNT];
  uint32_t fault_param[ARDUCHIP_FAULT_KIND_COUNT];
  uint32_t fault_tag[ARDUCHIP_FAULT_KIND_COUNT]; /* ARDUCHIP_ANY_TAG or one frame's tag */
  uint32_t latched_faults; /* faults applied to the latched frame, as arduchip_event_t.faults */

  arduchip_counters_t counters;
} arduchip_t;

/* The defaults: version 0x73, fill 0x00, no burst dummy, no capture delay, Mini 2MP FIFO size. */
void arduchip_default_config(arduchip_config_t *config);

/* Prepares the model in power-on state. ram holds the frame store; clock and on_event may be
 * NULL (time then stays 0; events are dropped). */
void arduchip_init(arduchip_t *chip, const arduchip_config_t *config, uint8_t *ram,
                   uint32_t ram_size, arduchip_clock_fn clock, arduchip_event_fn on_event,
                   void *context);
/* Back to power-on state: frames, queue, registers, faults and counters all cleared. */
void arduchip_reset(arduchip_t *chip);
/* Replaces the configuration; frames and queue stay. */
void arduchip_configure(arduchip_t *chip, const arduchip_config_t *config);

/* ---- Frame store (what the host link's LOAD / FREE drive) ---- */

/* Reserves frame RAM for a frame of length bytes in a free slot. auto_free: the model frees the
 * slot once it is neither queued nor latched (streaming); 0 keeps it until arduchip_slot_free. */
int arduchip_slot_load_begin(arduchip_t *chip, uint32_t slot, uint32_t length, uint32_t tag,
                             int auto_free);
/* Copies len bytes at offset into a slot being loaded (chunks may come in any order). */
int arduchip_slot_load_data(arduchip_t *chip, uint32_t slot, uint32_t offset,
                            const uint8_t *data, uint32_t len);
/* Finishes a load: computes the CRC32 and, when check_crc is non-zero, compares it with
 * expected_crc (a mismatch frees the slot). The slot is then ready to queue. */
int arduchip_slot_load_end(arduchip_t *chip, uint32_t slot, int check_crc, uint32_t expected_crc);
/* Frees a slot. A queued or latched frame is freed once it is no longer used. */
int arduchip_slot_free(arduchip_t *chip, uint32_t slot);
/* The lowest free slot index, or ARDUCHIP_ERR_NO_SLOT. */
int arduchip_slot_find_free(const arduchip_t *chip);
/* Largest contiguous stretch of free frame RAM, bytes. */
uint32_t arduchip_ram_largest_free(const arduchip_t *chip);
/* Loads a frame into a free auto-free slot and queues it: the streaming path in one call.
 * Returns the slot index (>= 0) or an arduchip_result_t. */
int arduchip_stream_frame(arduchip_t *chip, const uint8_t *data, uint32_t length, uint32_t tag);

/* ---- Play queue ---- */

int arduchip_queue_push(arduchip_t *chip, uint32_t slot);
/* Empties the queue (auto-free frames that are not latched are freed). */
void arduchip_queue_clear(arduchip_t *chip);
uint32_t arduchip_queue_depth(const arduchip_t *chip);
void arduchip_set_mode(arduchip_t *chip, arduchip_play_mode_t mode);

/* ---- DUT-facing SPI (mode 0, one call per byte) ---- */

/* CS falling edge. */
void arduchip_spi_begin(arduchip_t *chip);
/* One full-duplex byte: returns MISO for this MOSI byte. */
uint8_t arduchip_spi_transfer(arduchip_t *chip, uint8_t mosi);
/* n bytes exactly as n calls of arduchip_spi_transfer; mosi NULL sends 0x00, miso may be NULL. */
void arduchip_spi_transfer_block(arduchip_t *chip, const uint8_t *mosi, uint8_t *miso, size_t n);
/* CS rising edge. */
void arduchip_spi_end(arduchip_t *chip);

/* ---- DUT-facing I2C (the OV2640 sensor) ---- */

/* Returns 1 when acknowledged, 0 for NACK (wrong address or I2C_NACK fault). */
int arduchip_i2c_write(arduchip_t *chip, uint8_t address, uint8_t reg, uint8_t value);
int arduchip_i2c_read(arduchip_t *chip, uint8_t address, uint8_t reg, uint8_t *value);

/* ---- Time, faults, status ---- */

/* Applies what the clock says is due (CAP_DONE after the capture delay). SPI calls do this
 * themselves; firmware main loops call it so events are not late. */
void arduchip_poll(arduchip_t *chip);
/* The clock value at which time alone will next change the state, or UINT64_MAX. */
uint64_t arduchip_next_wake_us(const arduchip_t *chip);
/* Arms (or disarms) a fault for whatever comes next; param as documented per kind. */
void arduchip_set_fault(arduchip_t *chip, arduchip_fault_kind_t kind, arduchip_fault_mode_t mode,
                        uint32_t param);
/* Arms a frame fault for the frame with this tag only (ARDUCHIP_ANY_TAG: the next one). Faults
 * that are not about a frame (TESTREG_FAIL, I2C_NACK) ignore the tag. */
void arduchip_set_fault_for(arduchip_t *chip, arduchip_fault_kind_t kind,
                            arduchip_fault_mode_t mode, uint32_t param, uint32_t tag);
/* Slots holding or loading a frame, for status reports. */
uint32_t arduchip_slots_in_use(const arduchip_t *chip);
const arduchip_counters_t *arduchip_counters(const arduchip_t *chip);

/* CRC-32 (IEEE, reflected, 0xEDB88320) of a buffer, chained like zlib's crc32(). */
uint32_t arduchip_crc32(uint32_t crc, const uint8_t *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* RIG_ARDUCHIP_H */
