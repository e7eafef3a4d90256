// SPDX-License-Identifier: Apache-2.0
//
// A version-neutral view of libgpiod: the same calls compile against libgpiod 1.6.x (API v1:
// Debian 12, Raspberry Pi OS bookworm) and 2.x (API v2: Debian 13, Raspberry Pi OS trixie).
// This header does not include gpiod.h, so its users never see which API is underneath.
//
// Errors: functions returning a pointer return NULL, functions returning int return -1, and
// errno says why (ENOENT: no such chip or line name; EBUSY: the line is held by another request;
// EACCES: no permission on the chip's device node; EINVAL: bad offset or flags).
//
// Threads: a gs_chip or gs_line belongs to one owner. The exception is a line requested for
// edges: one thread may wait in gs_read_edge while another calls gs_get_value.

#ifndef RIG_GPIO_SHIM_H
#define RIG_GPIO_SHIM_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An open GPIO chip (a /dev/gpiochipN character device).
typedef struct gs_chip gs_chip;
/// One requested line: an output, or an input watched for edges.
typedef struct gs_line gs_line;

/// How an output drives its pin.
typedef enum {
  GS_DRIVE_PUSH_PULL = 0,
  GS_DRIVE_OPEN_DRAIN = 1,
  GS_DRIVE_OPEN_SOURCE = 2,
} gs_drive;

/// Which edges an input reports.
typedef enum {
  GS_EDGE_RISING = 1,
  GS_EDGE_FALLING = 2,
  GS_EDGE_BOTH = 3,
} gs_edges;

/// Room for a chip or line name, label or consumer; the kernel's limit is 32 bytes with NUL.
#define GS_NAME_MAX 64

/// What a chip says about itself. Strings are NUL-terminated, empty when the kernel has none.
typedef struct {
  char name[GS_NAME_MAX];
  char label[GS_NAME_MAX];
  unsigned int num_lines;
} gs_chip_info;

/// What the kernel says about one line of a chip.
typedef struct {
  unsigned int offset;
  char name[GS_NAME_MAX];
  char consumer[GS_NAME_MAX];
  bool used;
  bool output;
  bool active_low;
} gs_line_info;

/// 1 or 2: the libgpiod API this shim was compiled against.
int gs_api_major(void);
/// The libgpiod version string reported by the library at run time, such as "1.6.3" or "2.2.1".
const char *gs_library_version(void);

/// Opens a chip by device path (/dev/gpiochip0). Close it with gs_chip_close.
gs_chip *gs_chip_open(const char *path);
void gs_chip_close(gs_chip *chip);
/// Fills `out` with the chip's name, label and line count. Returns 0, or -1 with errno.
int gs_chip_get_info(gs_chip *chip, gs_chip_info *out);
/// Fills `out` with what the kernel reports now about line `offset`. Returns 0, or -1 with errno.
int gs_chip_get_line_info(gs_chip *chip, unsigned int offset, gs_line_info *out);
/// The offset of the line named `name` on this chip, or -1 with errno ENOENT when none has it.
int gs_chip_find_line(gs_chip *chip, const char *name);

/// Requests line `offset` of the chip at `chip_path` as an output driven to the logical value
/// `initial` (0 or 1). With `active_low`, logical 1 drives the pin low. Release it with
/// gs_release.
gs_line *gs_request_output(const char *chip_path, unsigned int offset, const char *consumer,
                           int initial, bool active_low, gs_drive drive);
/// Requests line `offset` of the chip at `chip_path` as an input reporting `edges` with kernel
/// timestamps on CLOCK_MONOTONIC. With `active_low`, edges and values are logical (inverted).
gs_line *gs_request_edges(const char *chip_path, unsigned int offset, const char *consumer,
                          gs_edges edges, bool active_low);

/// Sets an output's logical value (0 or 1). Returns 0, or -1 with errno.
int gs_set_value(gs_line *line, int value);
/// The line's logical value (0 or 1), or -1 with errno.
int gs_get_value(gs_line *line);
/// The descriptor that becomes readable when an edge is queued, for poll(2); owned by the line.
int gs_line_fd(gs_line *line);
/// Waits up to `timeout_ns` (0: do not wait; negative: no limit) for the next edge. Returns 1 and
/// fills `rising` (1 rising, 0 falling) and `timestamp_ns`, 0 on timeout, or -1 with errno.
int gs_read_edge(gs_line *line, int64_t timeout_ns, int *rising, uint64_t *timestamp_ns);
/// Gives the line back to the kernel and frees it; an output keeps its last level.
void gs_release(gs_line *line);

#ifdef __cplusplus
}
#endif

#endif
