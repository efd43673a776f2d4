import pino, { type DestinationStream } from 'pino';
import pinoPretty from 'pino-pretty';
import type { Logger } from '../core/ports';
import type { Redactor } from '../core/pipeline';

export interface LoggerOptions {
  level?: string;
  /** Applied to every string in every log line: a card number never reaches a log, whoever logs it. */
  redact: Redactor;
  destination?: DestinationStream;
  /**
   * Human-readable lines (pino-pretty) instead of JSON: for a developer's terminal (`npm start` turns it
   * on when stdout is a TTY). Log collectors want the JSON.
   */
  pretty?: boolean;
}

/** A pino logger that scrubs every string field and message, recursively. */
export function createLogger({ level = 'info', redact, destination, pretty = false }: LoggerOptions): Logger {
  const scrub = (value: unknown, depth = 0): unknown => {
    if (typeof value === 'string') return redact(value).text;
    if (value === null || typeof value !== 'object') return value;
    // Deeper than this is not scrubbed, so it is not logged either.
    if (depth > 6) return '[too deep to log]';
    if (value instanceof Error)
      return { type: value.name, message: redact(value.message).text, stack: value.stack };
    if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
    // Keys can be customer-controlled too (metadata): they are scrubbed like values.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [redact(key).text, scrub(item, depth + 1)]),
    );
  };
  const options: pino.LoggerOptions = {
    level,
    formatters: {
      log: (fields) => scrub(fields) as Record<string, unknown>,
      bindings: (bindings) => scrub(bindings) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const cleaned = args.map((arg) => scrub(arg)) as Parameters<typeof method>;
        method.apply(this, cleaned);
      },
    },
  };
  if (pretty) {
    const stream = pinoPretty({
      colorize: !destination,
      translateTime: 'HH:MM:ss.l',
      ignore: 'pid,hostname',
      // One entry, one line: the context follows the message instead of a line per field.
      singleLine: true,
      sync: true,
      ...(destination ? { destination } : {}),
    });
    return pino(options, stream);
  }
  return destination ? pino(options, destination) : pino(options);
}
