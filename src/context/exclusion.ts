// Content exclusion: which files Infill must never read, send to a model, or complete in.
// Four sources, any one is enough: .gitignore files (nested ones apply below their folder), VS Code's
// files.exclude, the user's infill.exclude globs, and a built-in list of names that usually hold secrets.
import * as path from 'path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';

export interface GitignoreFile {
  /** Folder holding the .gitignore, relative to the root ('' for the root itself). */
  dir: string;
  content: string;
}

export interface ExclusionOptions {
  /** Absolute workspace folder; relative paths are taken relative to it. */
  root: string;
  gitignore?: GitignoreFile[];
  /** VS Code `files.exclude`: glob -> true (objects with `when` clauses are treated as on). Or a plain list. */
  filesExclude?: Record<string, unknown> | string[];
  /** The `infill.exclude` setting. */
  userGlobs?: string[];
}

export interface Exclusion {
  /** True when the file (absolute or root-relative path) must not be read, sent or completed in. */
  isExcluded(filePath: string): boolean;
  /** Why it is excluded ('secret', 'gitignore', 'files.exclude', 'infill.exclude'), for logs; undefined when not. */
  reason(filePath: string): string | undefined;
  /** Root-relative POSIX path, or undefined when the path is outside the root. */
  relative(filePath: string): string | undefined;
}

/**
 * Names that usually hold credentials. Matched against the file name and every folder name on the path, so a
 * secret is caught even outside the workspace and whatever the ignore files say.
 */
export const SECRET_GLOBS = [
  // Matched with `dot` and `nocase`: '*.env' also covers '.env', '*credential*' also '.git-credentials', 'Credentials'.
  '.env.*', '*.env', '.envrc',
  '*.pem', '*.key', '*.crt', '*.cer', '*.der', '*.p12', '*.pfx', '*.jks', '*.keystore', '*.kdbx', '*.gpg', '*.asc',
  'id_rsa*', 'id_dsa*', 'id_ecdsa*', 'id_ed25519*', '*.ppk', 'known_hosts', 'authorized_keys',
  '*credential*', 'secrets.*', 'secret.*', '*.secret', '*.secrets', '*secrets.json', '*secrets.yaml', '*secrets.yml',
  '.npmrc', '.yarnrc', '.yarnrc.yml', '.pypirc', '.netrc', '_netrc', '.htpasswd', '.pgpass', '.my.cnf',
  '.dockercfg', '*.tfvars', '*.tfstate', '*.tfstate.*', 'service-account*.json', '*.ovpn',
];
/** Folders whose whole content is private (or not source at all). */
export const SECRET_DIRS = ['.ssh', '.gnupg', '.aws', '.azure', '.kube', '.docker', '.git'];

const secretName = picomatch(SECRET_GLOBS, { dot: true, nocase: true });
const secretDirs = new Set(SECRET_DIRS);

/** True for a path whose file or folder names look like they hold secrets. Pure string check, no disk access. */
export function looksLikeSecretPath(filePath: string): boolean {
  const parts = filePath.split(/[\\/]+/).filter(Boolean);
  const base = parts[parts.length - 1] ?? '';
  if (secretName(base)) return true;
  return parts.slice(0, -1).some(d => secretDirs.has(d));
}

/** Content patterns that are credentials whatever the file is called; a snippet holding one is dropped. */
export const SECRET_CONTENT: readonly RegExp[] = [
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}\b/, /\bgithub_pat_[A-Za-z0-9_]{30,}\b/,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/,
  /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,}\b/,
  /\bAIza[0-9A-Za-z_-]{35}\b/,
];

export function looksLikeSecretContent(text: string): boolean {
  return SECRET_CONTENT.some(re => re.test(text));
}

/**
 * looksLikeSecretContent(after) for a text edited from `before`, which held no credential, reading only the lines
 * the edit touched: every pattern matches within one line, so a match on an untouched line was in `before` too.
 * The document being edited changes at every key, and a whole 10,000-line file takes most of a millisecond.
 */
export function editAddsSecret(before: string, after: string): boolean {
  const head = commonPrefixLength(before, after);
  const tail = commonSuffixLength(before, after, head);
  // A new match has a character in the edited span or right beside it (a word boundary looks one character out),
  // so the lines from the one holding the last untouched character before it to the one holding the first after it.
  const from = head < 2 ? 0 : after.lastIndexOf('\n', head - 2) + 1;
  const lineEnd = after.indexOf('\n', Math.max(head, after.length - tail));
  const to = lineEnd < 0 ? after.length : lineEnd;
  return looksLikeSecretContent(after.slice(from, to));
}

/** Length of the longest common prefix, by halving: string comparison is native, a character loop is not. */
function commonPrefixLength(a: string, b: string): number {
  let lo = 0, hi = Math.min(a.length, b.length);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.slice(lo, mid) === b.slice(lo, mid)) lo = mid; else hi = mid - 1;
  }
  return lo;
}

/** Length of the longest common suffix that does not reach into the first `skip` characters of either. */
function commonSuffixLength(a: string, b: string, skip: number): number {
  let lo = 0, hi = Math.min(a.length, b.length) - skip;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.slice(a.length - mid, a.length - lo) === b.slice(b.length - mid, b.length - lo)) lo = mid; else hi = mid - 1;
  }
  return lo;
}

type Matcher = (p: string) => boolean;

/** VS Code-style globs, relative to the root. A glob without a slash also matches a file or folder name anywhere. */
function globMatcher(globs: string[]): Matcher | undefined {
  const clean = globs.map(g => g.trim().replace(/^\.\//, '').replace(/\/+$/, '')).filter(Boolean);
  if (!clean.length) return undefined;
  const full = picomatch(clean, { dot: true });
  const bare = clean.filter(g => !g.includes('/'));
  const byName = bare.length ? picomatch(bare, { dot: true }) : undefined;
  return (rel: string) => {
    const parts = rel.split('/');
    // A glob naming a folder excludes everything below it: test every leading part of the path.
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      if (full(prefix)) return true;
      if (byName?.(parts[i - 1])) return true;
    }
    return false;
  };
}

function filesExcludeGlobs(value: ExclusionOptions['filesExclude']): string[] {
  if (!value) return [];
  if (Array.isArray(value)) return value;
  // `false` switches a default pattern off; `{ when: ... }` (sibling conditions) we treat as on, to err safe.
  return Object.entries(value).filter(([, on]) => on !== false && on !== null && on !== undefined).map(([g]) => g);
}

export function createExclusion(options: ExclusionOptions): Exclusion {
  const root = path.resolve(options.root);
  const gitignores: Array<{ dir: string; ig: Ignore }> = (options.gitignore ?? [])
    .map(g => ({ dir: normalizeDir(g.dir), ig: ignore().add(g.content) }))
    // Deepest first is not needed for correctness (any match excludes), but keeps the check order stable.
    .sort((a, b) => a.dir.localeCompare(b.dir));
  const filesExclude = globMatcher(filesExcludeGlobs(options.filesExclude));
  const user = globMatcher(options.userGlobs ?? []);

  const relative = (filePath: string): string | undefined => {
    const abs = path.isAbsolute(filePath) ? path.resolve(filePath) : path.resolve(root, filePath);
    const rel = path.relative(root, abs).split(path.sep).join('/');
    // '..hidden/x' is inside the root: only '..' itself or a '../' start leaves it.
    if (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) return undefined;
    return rel;
  };

  const reason = (filePath: string): string | undefined => {
    if (looksLikeSecretPath(filePath)) return 'secret';
    const rel = relative(filePath);
    if (rel === undefined) {
      // Outside the workspace only the user's own globs (which may be absolute) and the secret list apply.
      const posix = filePath.split(path.sep).join('/');
      return user?.(posix.replace(/^\/+/, '')) ? 'infill.exclude' : undefined;
    }
    if (rel === '') return undefined;
    for (const { dir, ig } of gitignores) {
      if (dir && !rel.startsWith(dir + '/')) continue;
      const inner = dir ? rel.slice(dir.length + 1) : rel;
      if (inner && ig.ignores(inner)) return 'gitignore';
    }
    if (filesExclude?.(rel)) return 'files.exclude';
    if (user?.(rel)) return 'infill.exclude';
    return undefined;
  };

  return { isExcluded: p => reason(p) !== undefined, reason, relative };
}

function normalizeDir(dir: string): string {
  return dir.split(/[\\/]+/).filter(p => p && p !== '.').join('/');
}
