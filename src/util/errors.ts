// The one way to turn whatever was thrown into text for a log line or a message.

/** The message of an Error, or the thrown value as text (libraries and callbacks may throw anything). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
