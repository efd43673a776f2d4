import type { Logger } from '../core/ports';

/** The default when no logger is injected: stores must never write to the console themselves. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
