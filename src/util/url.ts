// Credentials written into a URL (`http://user:pass@host`) must never be printed: fetch refuses such URLs
// (and echoes them in its error), and every message, tooltip and log line names the endpoint.

const CREDENTIALS_IN_URL = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;

/** `text` with the user and password of every URL in it replaced by `***`. */
export function maskCredentials(text: string): string {
  return text.replace(CREDENTIALS_IN_URL, '$1***@');
}

export interface SplitEndpoint {
  /** The URL without user and password (and without a trailing slash). */
  endpoint: string;
  /** `Basic ...` for the user and password the URL held, when it held any. */
  authorization?: string;
}

/** Takes the credentials out of an endpoint URL, to be sent as an Authorization header instead. */
export function splitCredentials(raw: string): SplitEndpoint {
  const trimmed = raw.replace(/\/+$/, '');
  let url: URL;
  try { url = new URL(trimmed); } catch { return { endpoint: maskCredentials(trimmed) }; }
  if (!url.username && !url.password) return { endpoint: trimmed };
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return {
    endpoint: url.toString().replace(/\/+$/, ''),
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  };
}
