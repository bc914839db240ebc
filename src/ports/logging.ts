export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured logger. Implementations write to stderr and must never be handed secrets. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
