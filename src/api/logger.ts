/** A small structured logger; the API never logs tokens, secrets or query strings. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** One JSON line per entry on stderr (stdout stays free for the CLI's output). */
export function createStderrLogger(component = 'api'): Logger {
  const write =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, component, message, ...fields })}\n`);
    };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
