/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rig agent, telemetry protocol v1 (docs/telemetry.md): record formatting, the CRC and the
 * host command parser. No allocation and no C library calls, so it links into any firmware.
 * The host's encoder (RigCore TelemetryEncoder) produces the same bytes for the same values;
 * RigAgentTests checks that byte for byte.
 */
#include "rig_agent.h"

/* Record text before " *XXXXXXXX\r\n": the checksum field and the terminator take 12 bytes. */
#define CONTENT_LIMIT (RIG_AGENT_MAX_LINE - 12)
/* Nothing in a record value may end the line, split fields or fake the checksum field. */
#define IS_UNSAFE(b) ((b) < 0x20 || (b) >= 0x7F || (b) == '*')

/*
 * CRC-32/IEEE, reflected, four bits at a time. The 16-entry table is 64 bytes of flash, where
 * the classic 256-entry table is 1 KB; it is about four times faster than the bitwise loop,
 * which is plenty for ~200-byte records and keeps a 9 KB frame under 0.2 ms at 600 MHz.
 */
static const uint32_t crc_nibble_table[16] = {
  0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u,
  0x4DB26158u, 0x5005713Cu, 0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu,
  0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu,
};

uint32_t rig_crc32_update(uint32_t crc, const void *data, size_t len) {
  const uint8_t *bytes = (const uint8_t *)data;
  size_t i;
  crc = ~crc;
  for (i = 0; i < len; i++) {
    crc ^= bytes[i];
    crc = (crc >> 4) ^ crc_nibble_table[crc & 0x0Fu];
    crc = (crc >> 4) ^ crc_nibble_table[crc & 0x0Fu];
  }
  return ~crc;
}

/* ---- record formatting ---- */

typedef struct {
  char *text;
  size_t length;
} line_writer;

static void put_char(line_writer *w, char c) {
  /* The field caps keep every record inside the limit; this guard only protects memory. */
  if (w->length < CONTENT_LIMIT) w->text[w->length++] = c;
}

static void put_literal(line_writer *w, const char *s) {
  while (*s != '\0') put_char(w, *s++);
}

static size_t bounded_length(const char *s, size_t max) {
  size_t n = 0;
  if (s == 0) return 0;
  while (n < max && s[n] != '\0') n++;
  return n;
}

/* Writes at most max bytes of s; unsafe bytes (and spaces unless allowed) become '_'. */
static void put_value(line_writer *w, const char *s, size_t max, int allow_space) {
  size_t n = bounded_length(s, max);
  size_t i;
  for (i = 0; i < n; i++) {
    uint8_t b = (uint8_t)s[i];
    if (IS_UNSAFE(b) || (b == ' ' && !allow_space)) b = '_';
    put_char(w, (char)b);
  }
}

static void put_decimal(line_writer *w, uint32_t value) {
  char digits[10];
  size_t n = 0;
  do {
    digits[n++] = (char)('0' + value % 10u);
    value /= 10u;
  } while (value != 0);
  while (n > 0) put_char(w, digits[--n]);
}

static void put_hex8(line_writer *w, uint32_t value) {
  static const char hex[] = "0123456789ABCDEF";
  int shift;
  for (shift = 28; shift >= 0; shift -= 4) put_char(w, hex[(value >> shift) & 0x0Fu]);
}

static void put_key_decimal(line_writer *w, const char *key, uint32_t value) {
  put_char(w, ' ');
  put_literal(w, key);
  put_decimal(w, value);
}

static void put_key_hex8(line_writer *w, const char *key, uint32_t value) {
  put_char(w, ' ');
  put_literal(w, key);
  put_hex8(w, value);
}

static void put_key_value(line_writer *w, const char *key, const char *value, size_t max) {
  put_char(w, ' ');
  put_literal(w, key);
  put_value(w, value, max, 0);
}

static line_writer begin_record(rig_agent_t *agent, const char *type, uint32_t nonce) {
  line_writer w;
  w.text = agent->line;
  w.length = 0;
  put_literal(&w, "~T1 ");
  put_literal(&w, type);
  put_char(&w, ' ');
  put_hex8(&w, nonce);
  return w;
}

/* Appends " *<crc>\r\n" and hands the line to the write function. */
static void finish_record(rig_agent_t *agent, line_writer *w) {
  static const char hex[] = "0123456789ABCDEF";
  uint32_t crc = rig_crc32_update(0, w->text, w->length);
  size_t n = w->length;
  int shift;
  agent->line[n++] = ' ';
  agent->line[n++] = '*';
  for (shift = 28; shift >= 0; shift -= 4) agent->line[n++] = hex[(crc >> shift) & 0x0Fu];
  agent->line[n++] = '\r';
  agent->line[n++] = '\n';
  if (agent->write != 0) agent->write(agent->context, (const uint8_t *)agent->line, n);
}

void rig_agent_init(rig_agent_t *agent, rig_agent_write_fn write, void *context) {
  size_t i;
  agent->write = write;
  agent->context = context;
  agent->nonce = 0;
  for (i = 0; i < RIG_AGENT_MAX_LINE; i++) agent->line[i] = 0;
  for (i = 0; i < RIG_AGENT_MAX_COMMAND; i++) agent->command[i] = 0;
  agent->command_length = 0;
  agent->command_overflow = 0;
  agent->commands_rejected = 0;
}

static void emit_identity(rig_agent_t *agent, const char *type, uint32_t nonce,
                          const rig_identity_t *identity) {
  line_writer w = begin_record(agent, type, nonce);
  size_t reset_length = bounded_length(identity->reset_cause, RIG_AGENT_MAX_RESET_CAUSE);
  size_t room;
  put_key_value(&w, "fw=", identity->firmware_version, RIG_AGENT_MAX_FIRMWARE_VERSION);
  put_key_value(&w, "img=", identity->image_hash, RIG_AGENT_MAX_IMAGE_HASH);
  put_key_hex8(&w, "model=", identity->model_crc32);
  put_key_decimal(&w, "arena=", identity->arena_size);
  put_key_decimal(&w, "arena_used=", identity->arena_used);
  put_key_decimal(&w, "static=", identity->static_ram);
  put_key_decimal(&w, "cpu=", identity->cpu_hz);
  /* flags gets what " flags=" and " reset=<cause>" leave; the caps make this at least 8. */
  room = CONTENT_LIMIT - w.length - (sizeof " flags=" - 1) - (sizeof " reset=" - 1) - reset_length;
  if (room > RIG_AGENT_MAX_BUILD_FLAGS) room = RIG_AGENT_MAX_BUILD_FLAGS;
  put_key_value(&w, "flags=", identity->build_flags, room);
  put_key_value(&w, "reset=", identity->reset_cause, RIG_AGENT_MAX_RESET_CAUSE);
  finish_record(agent, &w);
}

void rig_agent_boot(rig_agent_t *agent, const rig_identity_t *identity) {
  /* A boot starts over: records before the next hello carry no run's nonce. */
  agent->nonce = 0;
  emit_identity(agent, "boot", 0, identity);
}

void rig_agent_hello(rig_agent_t *agent, const rig_identity_t *identity) {
  emit_identity(agent, "hello", agent->nonce, identity);
}

void rig_agent_frame(rig_agent_t *agent, const rig_frame_t *frame) {
  line_writer w = begin_record(agent, "frame", agent->nonce);
  put_key_decimal(&w, "seq=", frame->sequence);
  put_key_hex8(&w, "crc=", frame->frame_crc32);
  put_key_decimal(&w, "len=", frame->length);
  put_key_decimal(&w, "count=", frame->count);
  put_key_decimal(&w, "in=", frame->in_count);
  put_key_decimal(&w, "out=", frame->out_count);
  put_key_decimal(&w, "cyc=", frame->cycles_capture);
  put_char(&w, ',');
  put_decimal(&w, frame->cycles_preprocess);
  put_char(&w, ',');
  put_decimal(&w, frame->cycles_invoke);
  put_char(&w, ',');
  put_decimal(&w, frame->cycles_postprocess);
  put_key_decimal(&w, "stk=", frame->stack_hwm);
  put_key_decimal(&w, "heap=", frame->heap_hwm);
  put_key_value(&w, "st=", frame->status, RIG_AGENT_MAX_WORD);
  finish_record(agent, &w);
}

void rig_agent_summary(rig_agent_t *agent, const rig_summary_t *summary) {
  line_writer w = begin_record(agent, "sum", agent->nonce);
  put_key_decimal(&w, "frames=", summary->frames);
  put_key_decimal(&w, "errors=", summary->errors);
  put_key_decimal(&w, "max_cyc=", summary->max_cycles);
  put_key_decimal(&w, "stk=", summary->stack_hwm);
  finish_record(agent, &w);
}

void rig_agent_ack(rig_agent_t *agent, const char *command) {
  line_writer w = begin_record(agent, "ack", agent->nonce);
  put_key_value(&w, "cmd=", command, RIG_AGENT_MAX_WORD);
  finish_record(agent, &w);
}

/* err and fault: one word, then a free-text detail that runs to the checksum field. */
static void emit_problem(rig_agent_t *agent, const char *type, const char *key, const char *word,
                         const char *detail) {
  line_writer w = begin_record(agent, type, agent->nonce);
  put_key_value(&w, key, word, RIG_AGENT_MAX_WORD);
  put_literal(&w, " detail=");
  put_value(&w, detail, CONTENT_LIMIT - w.length, 1);
  finish_record(agent, &w);
}

void rig_agent_error(rig_agent_t *agent, const char *code, const char *detail) {
  emit_problem(agent, "err", "code=", code, detail);
}

void rig_agent_fault(rig_agent_t *agent, const char *kind, const char *detail) {
  emit_problem(agent, "fault", "kind=", kind, detail);
}

/* ---- host command parsing ---- */

static int is_upper_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); }

static uint32_t hex_value(char c) {
  return (uint32_t)(c <= '9' ? c - '0' : c - 'A' + 10);
}

/* Reads 8 uppercase hex digits at text[at]; 0 on failure (sets *ok = 0). */
static uint32_t parse_hex8(const char *text, size_t at, size_t end, int *ok) {
  uint32_t value = 0;
  size_t i;
  if (end < at + 8) {
    *ok = 0;
    return 0;
  }
  for (i = at; i < at + 8; i++) {
    if (!is_upper_hex(text[i])) {
      *ok = 0;
      return 0;
    }
    value = (value << 4) | hex_value(text[i]);
  }
  return value;
}

static int same_word(const char *text, size_t length, const char *word) {
  size_t i;
  for (i = 0; i < length; i++) {
    if (word[i] == '\0' || text[i] != word[i]) return 0;
  }
  return word[length] == '\0';
}

static int is_test_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

static int reject(rig_agent_t *agent, const char *detail) {
  agent->commands_rejected++;
  rig_agent_error(agent, "bad_command", detail);
  return 0;
}

/* Parses one complete line (terminator removed); 1 when it was a valid command. */
static int handle_line(rig_agent_t *agent, size_t length, int overflow, rig_command_t *command) {
  const char *text = agent->command;
  rig_command_kind_t kind;
  size_t at, verb_start, body_end;
  uint32_t nonce, checksum;
  int ok = 1;
  char test[RIG_AGENT_MAX_TEST_NAME + 1];
  size_t test_length = 0;

  /* Lines that do not start with the command marker are line noise or echo: not ours. */
  if (length < 2 || text[0] != '~' || text[1] != 'H') return 0;
  if (overflow) return reject(agent, "command line too long");
  if (length < 4 || text[2] != '1' || text[3] != ' ') {
    return reject(agent, "unsupported command version (this agent speaks ~H1)");
  }
  /* " *XXXXXXXX" ends every command. */
  if (length < 14 || text[length - 10] != ' ' || text[length - 9] != '*') {
    return reject(agent, "no checksum field at the end of the command");
  }
  body_end = length - 10;
  checksum = parse_hex8(text, length - 8, length, &ok);
  if (!ok) return reject(agent, "checksum is not 8 uppercase hex digits");
  if (rig_crc32_update(0, text, body_end) != checksum) return reject(agent, "bad checksum");

  verb_start = 4;
  at = verb_start;
  while (at < body_end && text[at] != ' ') at++;
  if (same_word(text + verb_start, at - verb_start, "hello")) {
    kind = RIG_COMMAND_HELLO;
  } else if (same_word(text + verb_start, at - verb_start, "start")) {
    kind = RIG_COMMAND_START;
  } else if (same_word(text + verb_start, at - verb_start, "stop")) {
    kind = RIG_COMMAND_STOP;
  } else if (same_word(text + verb_start, at - verb_start, "stats")) {
    kind = RIG_COMMAND_STATS;
  } else {
    return reject(agent, "unknown command (expected hello, start, stop or stats)");
  }

  if (at >= body_end || text[at] != ' ') return reject(agent, "command has no nonce");
  at++;
  nonce = parse_hex8(text, at, body_end, &ok);
  if (!ok || (at + 8 < body_end && text[at + 8] != ' ')) {
    return reject(agent, "nonce is not 8 uppercase hex digits");
  }
  if (nonce == 0) return reject(agent, "nonce 00000000 is reserved for boot records");
  at += 8;

  /* Fields: " key=value" ...; test= is the only one v1 knows, others are skipped. */
  while (at < body_end) {
    size_t key_start, key_end, value_start, value_end;
    if (text[at] != ' ') return reject(agent, "fields must be separated by one space");
    key_start = ++at;
    while (at < body_end && ((text[at] >= 'a' && text[at] <= 'z') || text[at] == '_')) at++;
    key_end = at;
    if (key_end == key_start || at >= body_end || text[at] != '=') {
      return reject(agent, "field is not key=value");
    }
    value_start = ++at;
    while (at < body_end && text[at] != ' ') at++;
    value_end = at;
    if (same_word(text + key_start, key_end - key_start, "test")) {
      size_t i;
      if (value_end - value_start > RIG_AGENT_MAX_TEST_NAME) {
        return reject(agent, "test name longer than 48 characters");
      }
      for (i = value_start; i < value_end; i++) {
        if (!is_test_name_char(text[i])) {
          return reject(agent, "test name has a character outside A-Za-z0-9._-");
        }
        test[i - value_start] = text[i];
      }
      test_length = value_end - value_start;
    }
  }
  test[test_length] = '\0';

  if (kind == RIG_COMMAND_HELLO) agent->nonce = nonce;
  if (command != 0) {
    size_t i;
    command->kind = kind;
    command->nonce = nonce;
    for (i = 0; i <= test_length; i++) command->test[i] = test[i];
  }
  return 1;
}

int rig_agent_feed(rig_agent_t *agent, uint8_t byte, rig_command_t *command) {
  if (byte == '\n') {
    size_t length = agent->command_length;
    int overflow = agent->command_overflow;
    agent->command_length = 0;
    agent->command_overflow = 0;
    if (length > 0 && agent->command[length - 1] == '\r') length--;
    return handle_line(agent, length, overflow, command);
  }
  if (agent->command_overflow) return 0;
  if (agent->command_length >= RIG_AGENT_MAX_COMMAND) {
    /* Keep the start (to know whether it was a command) and drop the rest up to the newline. */
    agent->command_overflow = 1;
    return 0;
  }
  agent->command[agent->command_length++] = (char)byte;
  return 0;
}
