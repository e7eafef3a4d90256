/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rig agent: the firmware side of rig's telemetry protocol, v1 (docs/telemetry.md).
 *
 * Link this into the firmware under test. It formats telemetry records into a fixed buffer
 * inside the agent (no malloc, no stdio), checksums them and hands each finished line to the
 * write function you supply (your UART or USB-CDC transmit). It also parses the host's commands
 * byte by byte from your receive path.
 *
 * Threading: one agent per console; call every function from one context (or guard it).
 */
#ifndef RIG_AGENT_H
#define RIG_AGENT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RIG_AGENT_PROTOCOL_VERSION 1
/* Longest record line, including the trailing CR LF. */
#define RIG_AGENT_MAX_LINE 256
/* Longest host command line the agent accepts. */
#define RIG_AGENT_MAX_COMMAND 96
/* Longest test name carried by a start command. */
#define RIG_AGENT_MAX_TEST_NAME 48

/*
 * String values are cut to these lengths (bytes) so every record fits in RIG_AGENT_MAX_LINE.
 * build_flags is cut further if the rest of a boot/hello record leaves less room, and an
 * error/fault detail gets whatever room the line has left.
 */
#define RIG_AGENT_MAX_FIRMWARE_VERSION 32
#define RIG_AGENT_MAX_IMAGE_HASH 64
#define RIG_AGENT_MAX_BUILD_FLAGS 64
#define RIG_AGENT_MAX_RESET_CAUSE 12
/* Status of a frame, command of an ack, code of an error, kind of a fault. */
#define RIG_AGENT_MAX_WORD 24

/* Writes len bytes to the console. Must write them all (block or queue). */
typedef void (*rig_agent_write_fn)(void *context, const uint8_t *bytes, size_t len);

typedef struct {
  const char *firmware_version; /* "1.4.2+g1a2b3c" - no spaces */
  const char *image_hash;       /* hex, as rig computes it for the image file */
  uint32_t model_crc32;         /* CRC32 of the model flatbuffer */
  uint32_t arena_size;          /* bytes reserved for the tensor arena */
  uint32_t arena_used;          /* MicroInterpreter::arena_used_bytes() */
  uint32_t static_ram;          /* .data + .bss, bytes */
  uint32_t cpu_hz;              /* SystemCoreClock */
  const char *build_flags;      /* comma-separated, no spaces: "cmsis_nn,O2" */
  const char *reset_cause;      /* "por", "wdog", "soft", "lockup", "pin" */
} rig_identity_t;

typedef struct {
  uint32_t sequence;        /* frames processed since start */
  uint32_t frame_crc32;     /* CRC32 of the bytes read from the camera FIFO */
  uint32_t length;          /* bytes read from the FIFO */
  uint32_t count;           /* people in view */
  uint32_t in_count;        /* cumulative line crossings since start */
  uint32_t out_count;
  uint32_t cycles_capture;  /* DWT cycles: SPI capture + FIFO read */
  uint32_t cycles_preprocess;
  uint32_t cycles_invoke;
  uint32_t cycles_postprocess;
  uint32_t stack_hwm;       /* painted-stack high-water mark, bytes */
  uint32_t heap_hwm;        /* heap high-water mark, bytes (0 without a heap) */
  const char *status;       /* "ok", "cap_timeout", "len_invalid", "decode_fail", "invoke_fail" */
} rig_frame_t;

typedef struct {
  uint32_t frames;
  uint32_t errors;
  uint32_t max_cycles;
  uint32_t stack_hwm;
} rig_summary_t;

typedef enum {
  RIG_COMMAND_NONE = 0,
  RIG_COMMAND_HELLO,
  RIG_COMMAND_START,
  RIG_COMMAND_STOP,
  RIG_COMMAND_STATS,
} rig_command_kind_t;

typedef struct {
  rig_command_kind_t kind;
  uint32_t nonce;
  char test[RIG_AGENT_MAX_TEST_NAME + 1]; /* for START; empty otherwise */
} rig_command_t;

typedef struct {
  rig_agent_write_fn write;
  void *context;
  uint32_t nonce;  /* 0 until the host's hello */
  char line[RIG_AGENT_MAX_LINE];
  char command[RIG_AGENT_MAX_COMMAND];
  size_t command_length;
  uint8_t command_overflow;
  uint32_t commands_rejected; /* bad checksum, unknown or malformed commands */
} rig_agent_t;

void rig_agent_init(rig_agent_t *agent, rig_agent_write_fn write, void *context);

/* Emits the boot record (nonce 0) and forgets any nonce held. Call once after reset, when the
 * firmware is ready. */
void rig_agent_boot(rig_agent_t *agent, const rig_identity_t *identity);
/* Emits the hello record: the identity again, with the nonce the host sent. */
void rig_agent_hello(rig_agent_t *agent, const rig_identity_t *identity);
void rig_agent_frame(rig_agent_t *agent, const rig_frame_t *frame);
void rig_agent_summary(rig_agent_t *agent, const rig_summary_t *summary);
/* Acknowledges a command by name ("start", "stop"). */
void rig_agent_ack(rig_agent_t *agent, const char *command);
/* code and detail: no spaces in code; detail may hold spaces (it is the last field). */
void rig_agent_error(rig_agent_t *agent, const char *code, const char *detail);
void rig_agent_fault(rig_agent_t *agent, const char *kind, const char *detail);

/*
 * Feeds one received byte. Returns 1 and fills *command when a complete, checksum-valid command
 * line has arrived (a HELLO also adopts its nonce); 0 otherwise. Malformed or damaged lines are
 * counted in commands_rejected and answered with an error record. Lines that do not start with
 * "~H" are ignored; a line longer than RIG_AGENT_MAX_COMMAND is dropped up to its newline.
 * command may be NULL.
 */
int rig_agent_feed(rig_agent_t *agent, uint8_t byte, rig_command_t *command);

/* CRC-32 (IEEE, reflected, 0xEDB88320): crc = rig_crc32_update(0, data, len) for a whole buffer,
 * or chain calls passing the previous result. Uses a 64-byte nibble table. */
uint32_t rig_crc32_update(uint32_t crc, const void *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* RIG_AGENT_H */
