// A logger the pipeline can use without importing vscode: the adapter passes a LogOutputChannel,
// the CLI and tests pass a console or silent logger.
import { errorMessage } from './errors';
import { maskCredentials } from './url';

export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

export const silentLogger: Logger = {
  trace() {}, debug() {}, info() {}, warn() {}, error() {},
};

/** Logs to stderr at or above `level`; the CLI uses it so stdout stays the suggestion alone. */
export function stderrLogger(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' = 'warn'): Logger {
  const order = ['trace', 'debug', 'info', 'warn', 'error'];
  const min = order.indexOf(level);
  const at = (l: string) => (message: string | Error, ...args: unknown[]) => {
    if (order.indexOf(l) < min) return;
    const text = errorMessage(message);
    process.stderr.write(`[${l}] ${maskCredentials(text)}${args.length ? ' ' + args.map(a => JSON.stringify(a)).join(' ') : ''}\n`);
  };
  return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
