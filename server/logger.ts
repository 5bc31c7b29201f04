/** A small leveled logger; main/ swaps in electron-log's file transport for the same calls. */
export interface Logger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export function createConsoleLogger(prefix = 'mediacanon'): Logger {
  const line = (level: string, message: string) => `${new Date().toISOString()} ${level} [${prefix}] ${message}`;
  return {
    info: (message, ...details) => console.log(line('INFO', message), ...details),
    warn: (message, ...details) => console.warn(line('WARN', message), ...details),
    error: (message, ...details) => console.error(line('ERROR', message), ...details),
  };
}

/** For tests: keeps what was logged instead of printing it. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep =
    (level: string) =>
    (message: string, ...details: unknown[]) =>
      lines.push(`${level} ${message}${details.length > 0 ? ` ${details.map(String).join(' ')}` : ''}`);
  return { lines, info: keep('INFO'), warn: keep('WARN'), error: keep('ERROR') };
}
