// SPDX-License-Identifier: Apache-2.0
//
// The libgpiod shim behind gpio_shim.h. libgpiod 2.x's gpiod.h defines no version macro, while
// 1.x defines GPIOD_LINE_BULK_MAX_LINES (and v2 does not), so that macro picks the API.

#include "gpio_shim.h"

#include <errno.h>
#include <gpiod.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(GPIOD_LINE_BULK_MAX_LINES)
#define GS_API_MAJOR 1
#else
#define GS_API_MAJOR 2
#endif

// Scripts/check-gpiod-v2-headers compiles this file against each API and says which it expects,
// so a header that silently selects the other branch fails the check.
#if defined(GS_EXPECT_API_MAJOR) && GS_EXPECT_API_MAJOR != GS_API_MAJOR
#error "gpiod.h selected the other libgpiod API than the one expected"
#endif

// Edges read from the kernel in one call and handed out one at a time.
#define GS_EVENT_BATCH 16

struct gs_pending_edge {
  int rising;
  uint64_t timestamp_ns;
};

static void copy_string(char *dst, const char *src) {
  if (src == NULL) {
    dst[0] = '\0';
    return;
  }
  strncpy(dst, src, GS_NAME_MAX - 1);
  dst[GS_NAME_MAX - 1] = '\0';
}

int gs_api_major(void) { return GS_API_MAJOR; }

#if GS_API_MAJOR == 1

struct gs_chip {
  struct gpiod_chip *chip;
};

struct gs_line {
  struct gpiod_chip *chip;
  struct gpiod_line *line;
  struct gs_pending_edge pending[GS_EVENT_BATCH];
  int pending_count;
  int pending_next;
};

const char *gs_library_version(void) { return gpiod_version_string(); }

gs_chip *gs_chip_open(const char *path) {
  struct gpiod_chip *chip = gpiod_chip_open(path);
  if (chip == NULL) return NULL;
  gs_chip *result = calloc(1, sizeof(*result));
  if (result == NULL) {
    gpiod_chip_close(chip);
    errno = ENOMEM;
    return NULL;
  }
  result->chip = chip;
  return result;
}

void gs_chip_close(gs_chip *chip) {
  if (chip == NULL) return;
  gpiod_chip_close(chip->chip);
  free(chip);
}

int gs_chip_get_info(gs_chip *chip, gs_chip_info *out) {
  copy_string(out->name, gpiod_chip_name(chip->chip));
  copy_string(out->label, gpiod_chip_label(chip->chip));
  out->num_lines = gpiod_chip_num_lines(chip->chip);
  return 0;
}

int gs_chip_get_line_info(gs_chip *chip, unsigned int offset, gs_line_info *out) {
  struct gpiod_line *line = gpiod_chip_get_line(chip->chip, offset);
  if (line == NULL) return -1;
  // The line object is cached by the chip; refresh it so "used" and "consumer" are current.
  if (gpiod_line_update(line) < 0) return -1;
  out->offset = offset;
  copy_string(out->name, gpiod_line_name(line));
  copy_string(out->consumer, gpiod_line_consumer(line));
  out->used = gpiod_line_is_used(line);
  out->output = gpiod_line_direction(line) == GPIOD_LINE_DIRECTION_OUTPUT;
  out->active_low = gpiod_line_active_state(line) == GPIOD_LINE_ACTIVE_STATE_LOW;
  return 0;
}

int gs_chip_find_line(gs_chip *chip, const char *name) {
  struct gpiod_line *line = gpiod_chip_find_line(chip->chip, name);
  if (line == NULL) {
    if (errno == 0) errno = ENOENT;
    return -1;
  }
  return (int)gpiod_line_offset(line);
}

static gs_line *request(const char *chip_path, unsigned int offset, const char *consumer,
                        int type, int flags, int initial) {
  struct gpiod_chip *chip = gpiod_chip_open(chip_path);
  if (chip == NULL) return NULL;
  struct gpiod_line *line = gpiod_chip_get_line(chip, offset);
  if (line == NULL) {
    int saved = errno;
    gpiod_chip_close(chip);
    errno = saved;
    return NULL;
  }
  struct gpiod_line_request_config config = {
      .consumer = consumer, .request_type = type, .flags = flags};
  if (gpiod_line_request(line, &config, initial) < 0) {
    int saved = errno;
    gpiod_chip_close(chip);
    errno = saved;
    return NULL;
  }
  gs_line *result = calloc(1, sizeof(*result));
  if (result == NULL) {
    gpiod_line_release(line);
    gpiod_chip_close(chip);
    errno = ENOMEM;
    return NULL;
  }
  result->chip = chip;
  result->line = line;
  return result;
}

gs_line *gs_request_output(const char *chip_path, unsigned int offset, const char *consumer,
                           int initial, bool active_low, gs_drive drive) {
  int flags = active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
  if (drive == GS_DRIVE_OPEN_DRAIN) flags |= GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN;
  if (drive == GS_DRIVE_OPEN_SOURCE) flags |= GPIOD_LINE_REQUEST_FLAG_OPEN_SOURCE;
  return request(chip_path, offset, consumer, GPIOD_LINE_REQUEST_DIRECTION_OUTPUT, flags,
                 initial ? 1 : 0);
}

gs_line *gs_request_edges(const char *chip_path, unsigned int offset, const char *consumer,
                          gs_edges edges, bool active_low) {
  int type;
  switch (edges) {
    case GS_EDGE_RISING: type = GPIOD_LINE_REQUEST_EVENT_RISING_EDGE; break;
    case GS_EDGE_FALLING: type = GPIOD_LINE_REQUEST_EVENT_FALLING_EDGE; break;
    case GS_EDGE_BOTH: type = GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES; break;
    default: errno = EINVAL; return NULL;
  }
  return request(chip_path, offset, consumer, type,
                 active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0, 0);
}

int gs_set_value(gs_line *line, int value) {
  return gpiod_line_set_value(line->line, value ? 1 : 0);
}

int gs_get_value(gs_line *line) { return gpiod_line_get_value(line->line); }

int gs_line_fd(gs_line *line) { return gpiod_line_event_get_fd(line->line); }

static int fetch_edges(gs_line *line, int64_t timeout_ns) {
  struct timespec timeout;
  if (timeout_ns >= 0) {
    timeout.tv_sec = (time_t)(timeout_ns / 1000000000);
    timeout.tv_nsec = (long)(timeout_ns % 1000000000);
  }
  int ready = gpiod_line_event_wait(line->line, timeout_ns >= 0 ? &timeout : NULL);
  if (ready <= 0) return ready;
  struct gpiod_line_event events[GS_EVENT_BATCH];
  int count = gpiod_line_event_read_multiple(line->line, events, GS_EVENT_BATCH);
  if (count < 0) return -1;
  for (int i = 0; i < count; i++) {
    line->pending[i].rising = events[i].event_type == GPIOD_LINE_EVENT_RISING_EDGE;
    line->pending[i].timestamp_ns =
        (uint64_t)events[i].ts.tv_sec * 1000000000u + (uint64_t)events[i].ts.tv_nsec;
  }
  line->pending_count = count;
  line->pending_next = 0;
  return count > 0 ? 1 : 0;
}

void gs_release(gs_line *line) {
  if (line == NULL) return;
  gpiod_line_release(line->line);
  gpiod_chip_close(line->chip);
  free(line);
}

#else  // libgpiod 2.x

struct gs_chip {
  struct gpiod_chip *chip;
};

struct gs_line {
  struct gpiod_line_request *request;
  struct gpiod_edge_event_buffer *buffer;
  unsigned int offset;
  struct gs_pending_edge pending[GS_EVENT_BATCH];
  int pending_count;
  int pending_next;
};

const char *gs_library_version(void) { return gpiod_api_version(); }

gs_chip *gs_chip_open(const char *path) {
  struct gpiod_chip *chip = gpiod_chip_open(path);
  if (chip == NULL) return NULL;
  gs_chip *result = calloc(1, sizeof(*result));
  if (result == NULL) {
    gpiod_chip_close(chip);
    errno = ENOMEM;
    return NULL;
  }
  result->chip = chip;
  return result;
}

void gs_chip_close(gs_chip *chip) {
  if (chip == NULL) return;
  gpiod_chip_close(chip->chip);
  free(chip);
}

int gs_chip_get_info(gs_chip *chip, gs_chip_info *out) {
  struct gpiod_chip_info *info = gpiod_chip_get_info(chip->chip);
  if (info == NULL) return -1;
  copy_string(out->name, gpiod_chip_info_get_name(info));
  copy_string(out->label, gpiod_chip_info_get_label(info));
  out->num_lines = (unsigned int)gpiod_chip_info_get_num_lines(info);
  gpiod_chip_info_free(info);
  return 0;
}

int gs_chip_get_line_info(gs_chip *chip, unsigned int offset, gs_line_info *out) {
  struct gpiod_line_info *info = gpiod_chip_get_line_info(chip->chip, offset);
  if (info == NULL) return -1;
  out->offset = offset;
  copy_string(out->name, gpiod_line_info_get_name(info));
  copy_string(out->consumer, gpiod_line_info_get_consumer(info));
  out->used = gpiod_line_info_is_used(info);
  out->output = gpiod_line_info_get_direction(info) == GPIOD_LINE_DIRECTION_OUTPUT;
  out->active_low = gpiod_line_info_is_active_low(info);
  gpiod_line_info_free(info);
  return 0;
}

int gs_chip_find_line(gs_chip *chip, const char *name) {
  errno = 0;
  int offset = gpiod_chip_get_line_offset_from_name(chip->chip, name);
  if (offset < 0 && errno == 0) errno = ENOENT;
  return offset;
}

// One line, one settings object: the request flow v2 requires, freeing everything it made.
static gs_line *request(const char *chip_path, unsigned int offset, const char *consumer,
                        struct gpiod_line_settings *settings, bool edges) {
  gs_line *result = NULL;
  struct gpiod_chip *chip = NULL;
  struct gpiod_line_config *line_config = NULL;
  struct gpiod_request_config *request_config = NULL;
  int saved = 0;

  result = calloc(1, sizeof(*result));
  if (result == NULL) {
    saved = ENOMEM;
    goto out;
  }
  result->offset = offset;
  chip = gpiod_chip_open(chip_path);
  if (chip == NULL) {
    saved = errno;
    goto out;
  }
  line_config = gpiod_line_config_new();
  request_config = gpiod_request_config_new();
  if (line_config == NULL || request_config == NULL) {
    saved = ENOMEM;
    goto out;
  }
  if (gpiod_line_config_add_line_settings(line_config, &offset, 1, settings) < 0) {
    saved = errno;
    goto out;
  }
  gpiod_request_config_set_consumer(request_config, consumer);
  if (edges) {
    result->buffer = gpiod_edge_event_buffer_new(GS_EVENT_BATCH);
    if (result->buffer == NULL) {
      saved = ENOMEM;
      goto out;
    }
  }
  result->request = gpiod_chip_request_lines(chip, request_config, line_config);
  if (result->request == NULL) saved = errno;

out:
  if (request_config != NULL) gpiod_request_config_free(request_config);
  if (line_config != NULL) gpiod_line_config_free(line_config);
  // A request does not need its chip to stay open.
  if (chip != NULL) gpiod_chip_close(chip);
  gpiod_line_settings_free(settings);
  if (saved != 0 || result == NULL || result->request == NULL) {
    if (result != NULL && result->buffer != NULL) gpiod_edge_event_buffer_free(result->buffer);
    free(result);
    errno = saved ? saved : EINVAL;
    return NULL;
  }
  return result;
}

gs_line *gs_request_output(const char *chip_path, unsigned int offset, const char *consumer,
                           int initial, bool active_low, gs_drive drive) {
  struct gpiod_line_settings *settings = gpiod_line_settings_new();
  if (settings == NULL) {
    errno = ENOMEM;
    return NULL;
  }
  enum gpiod_line_drive mode = GPIOD_LINE_DRIVE_PUSH_PULL;
  if (drive == GS_DRIVE_OPEN_DRAIN) mode = GPIOD_LINE_DRIVE_OPEN_DRAIN;
  if (drive == GS_DRIVE_OPEN_SOURCE) mode = GPIOD_LINE_DRIVE_OPEN_SOURCE;
  if (gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_OUTPUT) < 0 ||
      gpiod_line_settings_set_drive(settings, mode) < 0 ||
      gpiod_line_settings_set_output_value(
          settings, initial ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE) < 0) {
    int saved = errno;
    gpiod_line_settings_free(settings);
    errno = saved;
    return NULL;
  }
  gpiod_line_settings_set_active_low(settings, active_low);
  return request(chip_path, offset, consumer, settings, false);
}

gs_line *gs_request_edges(const char *chip_path, unsigned int offset, const char *consumer,
                          gs_edges edges, bool active_low) {
  enum gpiod_line_edge edge;
  switch (edges) {
    case GS_EDGE_RISING: edge = GPIOD_LINE_EDGE_RISING; break;
    case GS_EDGE_FALLING: edge = GPIOD_LINE_EDGE_FALLING; break;
    case GS_EDGE_BOTH: edge = GPIOD_LINE_EDGE_BOTH; break;
    default: errno = EINVAL; return NULL;
  }
  struct gpiod_line_settings *settings = gpiod_line_settings_new();
  if (settings == NULL) {
    errno = ENOMEM;
    return NULL;
  }
  if (gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_INPUT) < 0 ||
      gpiod_line_settings_set_edge_detection(settings, edge) < 0 ||
      gpiod_line_settings_set_event_clock(settings, GPIOD_LINE_CLOCK_MONOTONIC) < 0) {
    int saved = errno;
    gpiod_line_settings_free(settings);
    errno = saved;
    return NULL;
  }
  gpiod_line_settings_set_active_low(settings, active_low);
  return request(chip_path, offset, consumer, settings, true);
}

int gs_set_value(gs_line *line, int value) {
  return gpiod_line_request_set_value(
      line->request, line->offset, value ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE);
}

int gs_get_value(gs_line *line) {
  enum gpiod_line_value value = gpiod_line_request_get_value(line->request, line->offset);
  return value == GPIOD_LINE_VALUE_ERROR ? -1 : (value == GPIOD_LINE_VALUE_ACTIVE ? 1 : 0);
}

int gs_line_fd(gs_line *line) { return gpiod_line_request_get_fd(line->request); }

static int fetch_edges(gs_line *line, int64_t timeout_ns) {
  if (line->buffer == NULL) {
    errno = EINVAL;  // an output line has no edges to wait for
    return -1;
  }
  int ready = gpiod_line_request_wait_edge_events(line->request, timeout_ns);
  if (ready <= 0) return ready;
  int count = gpiod_line_request_read_edge_events(line->request, line->buffer, GS_EVENT_BATCH);
  if (count < 0) return -1;
  for (int i = 0; i < count; i++) {
    struct gpiod_edge_event *event =
        gpiod_edge_event_buffer_get_event(line->buffer, (unsigned long)i);
    line->pending[i].rising =
        gpiod_edge_event_get_event_type(event) == GPIOD_EDGE_EVENT_RISING_EDGE;
    line->pending[i].timestamp_ns = gpiod_edge_event_get_timestamp_ns(event);
  }
  line->pending_count = count;
  line->pending_next = 0;
  return count > 0 ? 1 : 0;
}

void gs_release(gs_line *line) {
  if (line == NULL) return;
  gpiod_line_request_release(line->request);
  if (line->buffer != NULL) gpiod_edge_event_buffer_free(line->buffer);
  free(line);
}

#endif

int gs_read_edge(gs_line *line, int64_t timeout_ns, int *rising, uint64_t *timestamp_ns) {
  if (line->pending_next >= line->pending_count) {
    int fetched = fetch_edges(line, timeout_ns);
    if (fetched <= 0) return fetched;
  }
  struct gs_pending_edge edge = line->pending[line->pending_next++];
  *rising = edge.rising;
  *timestamp_ns = edge.timestamp_ns;
  return 1;
}
