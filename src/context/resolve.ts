// From an import as written to the workspace files it names, per language. Only files inside the workspace are
// ever returned (paths are workspace-relative POSIX); packages from registries are not our business.
import * as path from 'path';
import type { ImportRef } from './syntaxIndex';

const posix = path.posix;

/** File access the resolver needs; the provider backs it with cached stats of the WorkspaceFs. */
export interface ResolverHost {
  isFile(relPath: string): Promise<boolean>;
  /** File names in a folder (not recursive); undefined when it is not a readable folder. */
  listFiles(relDir: string): Promise<string[] | undefined>;
  readFile(relPath: string): Promise<string | undefined>;
}

export interface ResolvedImport {
  /** Workspace-relative file. */
  path: string;
  /** Names wanted from it; empty = whatever of it the importing file uses. */
  names: string[];
  /** Read it only when the importing file mentions this name (files found by listing a package folder). */
  onlyIfUsed?: string;
}

/** Inside the workspace and normalised, or undefined. */
function clean(p: string): string | undefined {
  const n = posix.normalize(p).replace(/^\.\/+/, '').replace(/\/+$/, '');
  if (!n || n === '.' || n.startsWith('../') || n === '..' || posix.isAbsolute(n)) return undefined;
  return n;
}

/** The first candidate that is a file; all are checked at once (stats are cheap, round trips are not). */
async function firstFile(host: ResolverHost, candidates: string[]): Promise<string | undefined> {
  const paths = candidates.map(clean).filter((p): p is string => p !== undefined);
  const found = await Promise.all(paths.map(p => host.isFile(p)));
  const i = found.indexOf(true);
  return i >= 0 ? paths[i] : undefined;
}

/** The file an import is written in. */
export interface ImportOrigin {
  /** Workspace-relative path. */
  path: string;
  /** Its own package (Java), which tells where its source root is. */
  packageName?: string;
}

export async function resolveImport(ref: ImportRef, origin: ImportOrigin, host: ResolverHost): Promise<ResolvedImport[]> {
  const fromPath = origin.path;
  switch (ref.family) {
    case 'ts': return resolveTs(ref, fromPath, host);
    case 'python': return resolvePython(ref, fromPath, host);
    case 'go': return resolveGo(ref, fromPath, host);
    case 'java': return resolveJava(ref, origin, host);
    case 'rust': return resolveRust(ref, fromPath, host);
  }
}

// ---- TypeScript / JavaScript ----

const TS_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];

/** JSON with comments and trailing commas (tsconfig.json), read without choking on "//" inside strings. */
export function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2);
      if (i < 0) break;
      i++;
    } else {
      out += c;
    }
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
}

interface TsPaths { dir: string; baseUrl?: string; paths: Array<[string, string[]]> }
const tsconfigCache = new Map<string, TsPaths | null>();

/** `baseUrl` and `paths` of the nearest tsconfig.json / jsconfig.json above the file (no `extends`). */
async function tsPathsFor(fromPath: string, host: ResolverHost): Promise<TsPaths | undefined> {
  let dir = posix.dirname(fromPath);
  for (;;) {
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const file = dir === '.' ? name : `${dir}/${name}`;
      if (!(await host.isFile(file))) continue;
      const text = await host.readFile(file);
      if (text === undefined) return undefined;
      const key = `${file}\0${text}`;
      let parsed = tsconfigCache.get(key);
      if (parsed === undefined) {
        try {
          const opts = ((parseJsonc(text) as { compilerOptions?: Record<string, unknown> }).compilerOptions ?? {});
          const paths = opts.paths && typeof opts.paths === 'object' ? Object.entries(opts.paths as Record<string, unknown>)
            .filter((e): e is [string, string[]] => Array.isArray(e[1])) : [];
          parsed = { dir: dir === '.' ? '' : dir, baseUrl: typeof opts.baseUrl === 'string' ? opts.baseUrl : undefined, paths };
        } catch {
          parsed = null;
        }
        if (tsconfigCache.size > 50) tsconfigCache.clear();
        tsconfigCache.set(key, parsed);
      }
      return parsed ?? undefined;
    }
    if (dir === '.' || dir === '') return undefined;
    dir = posix.dirname(dir);
  }
}

/** `base` as written, with TypeScript's extensions, or as a folder with an index file. */
async function tsCandidatesFrom(base: string, host: ResolverHost): Promise<string | undefined> {
  const candidates: string[] = [];
  // TS with node16 resolution writes './x.js' for './x.ts'.
  const m = /\.(m|c)?jsx?$/.exec(base);
  if (m) {
    const stem = base.slice(0, -m[0].length);
    candidates.push(stem + (m[1] ? `.${m[1]}ts` : '.ts'), stem + '.tsx', stem + '.d.ts');
  }
  candidates.push(base, ...TS_EXTENSIONS.map(e => base + e), ...TS_EXTENSIONS.map(e => `${base}/index${e}`));
  return firstFile(host, candidates);
}

export async function resolveTsSpecifier(specifier: string, fromPath: string, host: ResolverHost): Promise<string | undefined> {
  if (!specifier.startsWith('.')) {
    // Path aliases ("@/x", "~/x") and baseUrl imports are workspace files; other bare specifiers are packages.
    const cfg = await tsPathsFor(fromPath, host);
    if (!cfg) return undefined;
    const base = posix.join(cfg.dir || '.', cfg.baseUrl ?? '.');
    for (const [pattern, targets] of cfg.paths) {
      const star = pattern.indexOf('*');
      const matched = star < 0 ? (specifier === pattern ? '' : undefined)
        : specifier.startsWith(pattern.slice(0, star)) && specifier.endsWith(pattern.slice(star + 1))
          ? specifier.slice(star, specifier.length - (pattern.length - star - 1)) : undefined;
      if (matched === undefined) continue;
      for (const t of targets) {
        const found = await tsCandidatesFrom(posix.join(base, t.replace('*', matched)), host);
        if (found) return found;
      }
    }
    return cfg.baseUrl !== undefined ? tsCandidatesFrom(posix.join(base, specifier), host) : undefined;
  }
  return tsCandidatesFrom(posix.join(posix.dirname(fromPath), specifier), host);
}

async function resolveTs(ref: ImportRef, fromPath: string, host: ResolverHost): Promise<ResolvedImport[]> {
  const file = await resolveTsSpecifier(ref.specifier, fromPath, host);
  return file ? [{ path: file, names: ref.wildcard || ref.namespace ? [] : ref.names }] : [];
}

// ---- Python ----

async function pythonModule(host: ResolverHost, dir: string, parts: string[]): Promise<string | undefined> {
  const base = posix.join(dir, ...parts);
  return firstFile(host, parts.length ? [`${base}.py`, `${base}/__init__.py`, `${base}.pyi`] : [`${base}/__init__.py`]);
}

/** Folders an absolute `import a.b` may start from: the workspace, src/, and the root of the current package. */
async function pythonRoots(fromPath: string, host: ResolverHost): Promise<string[]> {
  const roots = ['', 'src'];
  let dir = posix.dirname(fromPath);
  while (dir !== '.' && (await host.isFile(`${dir}/__init__.py`))) dir = posix.dirname(dir);
  roots.push(dir === '.' ? '' : dir);
  roots.push(posix.dirname(fromPath) === '.' ? '' : posix.dirname(fromPath));
  return [...new Set(roots)];
}

async function resolvePython(ref: ImportRef, fromPath: string, host: ResolverHost): Promise<ResolvedImport[]> {
  const m = /^(\.*)(.*)$/.exec(ref.specifier)!;
  const dots = m[1].length;
  const parts = m[2] ? m[2].split('.') : [];
  let bases: string[];
  if (dots > 0) {
    let dir = posix.dirname(fromPath);
    for (let i = 1; i < dots; i++) dir = posix.dirname(dir);
    bases = [dir === '.' ? '' : dir];
  } else {
    bases = await pythonRoots(fromPath, host);
  }
  const out: ResolvedImport[] = [];
  for (const base of bases) {
    const mod = await pythonModule(host, base, parts);
    // `from pkg import name`: each name may be a submodule rather than an attribute.
    const subs: ResolvedImport[] = [];
    const attrs: string[] = [];
    for (const name of ref.names) {
      const sub = await pythonModule(host, base, [...parts, name]);
      if (sub && sub !== mod) subs.push({ path: sub, names: [] });
      else attrs.push(name);
    }
    if (mod && (attrs.length || !ref.names.length)) out.push({ path: mod, names: ref.wildcard ? [] : attrs });
    out.push(...subs);
    if (out.length) break;
  }
  return out;
}

// ---- Go ----

/** The nearest go.mod above the file (inside the workspace): its folder and module path. */
async function goModule(fromPath: string, host: ResolverHost): Promise<{ dir: string; module: string } | undefined> {
  let dir = posix.dirname(fromPath);
  for (;;) {
    const modFile = dir === '.' ? 'go.mod' : `${dir}/go.mod`;
    if (await host.isFile(modFile)) {
      const text = await host.readFile(modFile);
      const mod = text && /^\s*module\s+(\S+)/m.exec(text)?.[1];
      return mod ? { dir: dir === '.' ? '' : dir, module: mod.replace(/^"|"$/g, '') } : undefined;
    }
    if (dir === '.' || dir === '') return undefined;
    dir = posix.dirname(dir);
  }
}

async function goPackageFiles(dir: string, host: ResolverHost, exclude?: string): Promise<string[]> {
  const names = (await host.listFiles(dir)) ?? [];
  return names
    .filter(n => n.endsWith('.go') && !n.endsWith('_test.go'))
    .map(n => (dir ? `${dir}/${n}` : n))
    .filter(p => p !== exclude)
    .sort();
}

async function resolveGo(ref: ImportRef, fromPath: string, host: ResolverHost): Promise<ResolvedImport[]> {
  if (ref.specifier === '.') {
    // Our own marker for "the other files of this package" (they see each other without imports).
    const dir = posix.dirname(fromPath);
    return (await goPackageFiles(dir === '.' ? '' : dir, host, fromPath)).slice(0, 24).map(p => ({ path: p, names: [] }));
  }
  const mod = await goModule(fromPath, host);
  if (!mod || !(ref.specifier === mod.module || ref.specifier.startsWith(mod.module + '/'))) return [];
  const rel = ref.specifier.slice(mod.module.length).replace(/^\//, '');
  const dir = clean(posix.join(mod.dir || '.', rel || '.')) ?? '';
  return (await goPackageFiles(dir, host)).slice(0, 24).map(p => ({ path: p, names: [] }));
}

// ---- Java ----

/** Source roots: where the current file's package path starts, plus the main/test sibling of a Maven layout. */
export function javaSourceRoots(fromPath: string, packageName: string | undefined): string[] {
  const dir = posix.dirname(fromPath);
  const pkgPath = packageName ? packageName.split('.').join('/') : '';
  let root = dir;
  if (pkgPath && (dir === pkgPath || dir.endsWith('/' + pkgPath))) root = dir.slice(0, dir.length - pkgPath.length).replace(/\/$/, '');
  else if (pkgPath) root = '';
  const roots = [root];
  const swap = root.replace(/(^|\/)src\/test\/java$/, '$1src/main/java');
  if (swap !== root) roots.push(swap);
  return roots;
}

async function resolveJava(ref: ImportRef, origin: ImportOrigin, host: ResolverHost): Promise<ResolvedImport[]> {
  const roots = javaSourceRoots(origin.path, origin.packageName);
  const parts = ref.specifier.split('.');
  for (const root of roots) {
    const under = (segs: string[]) => posix.join(root || '.', ...segs);
    if (ref.wildcard) {
      // `import a.b.*` names a package (a folder) or the members of a class (static).
      const cls = await firstFile(host, [under(parts) + '.java']);
      if (cls) return [{ path: cls, names: [] }];
      const dir = clean(under(parts));
      const names = dir ? await host.listFiles(dir) : undefined;
      if (names) {
        return names.filter(n => n.endsWith('.java')).sort().map(n => `${dir}/${n}`).filter(p => p !== origin.path)
          .map(p => { const cls = posix.basename(p, '.java'); return { path: p, names: [cls], onlyIfUsed: cls }; });
      }
      continue;
    }
    // a.b.C, a.b.C.Inner, or (static) a.b.C.member: the longest prefix that is a file, the rest are names.
    for (let k = parts.length; k >= 1; k--) {
      const file = await firstFile(host, [under(parts.slice(0, k)) + '.java']);
      if (file) return [{ path: file, names: k < parts.length ? [parts[parts.length - 1]] : [parts[k - 1]] }];
    }
  }
  return [];
}

// ---- Rust ----

/** The crate's src folder (next to the nearest Cargo.toml), and the module path of the current file. */
async function rustCrate(fromPath: string, host: ResolverHost): Promise<{ src: string; modulePath: string[] }> {
  let dir = posix.dirname(fromPath);
  let crateDir: string | undefined;
  for (;;) {
    if (await host.isFile(dir === '.' ? 'Cargo.toml' : `${dir}/Cargo.toml`)) { crateDir = dir === '.' ? '' : dir; break; }
    if (dir === '.' || dir === '') break;
    dir = posix.dirname(dir);
  }
  const src = crateDir === undefined ? posix.dirname(fromPath).replace(/^\.$/, '') : posix.join(crateDir || '.', 'src').replace(/^\.\//, '');
  const inside = src ? (fromPath.startsWith(src + '/') ? fromPath.slice(src.length + 1) : fromPath) : fromPath;
  const segs = inside.replace(/\.rs$/, '').split('/');
  const last = segs[segs.length - 1];
  if (last === 'mod' || (segs.length === 1 && (last === 'lib' || last === 'main'))) segs.pop();
  return { src: src === '.' ? '' : src, modulePath: segs };
}

async function rustModuleFile(host: ResolverHost, src: string, modulePath: string[]): Promise<string | undefined> {
  const base = posix.join(src || '.', ...modulePath);
  if (!modulePath.length) return firstFile(host, [posix.join(src || '.', 'lib.rs'), posix.join(src || '.', 'main.rs')]);
  return firstFile(host, [`${base}.rs`, `${base}/mod.rs`]);
}

async function resolveRust(ref: ImportRef, fromPath: string, host: ResolverHost): Promise<ResolvedImport[]> {
  const crate = await rustCrate(fromPath, host);
  if (ref.specifier.startsWith('mod::')) {
    const name = ref.specifier.slice(5);
    // `mod x;` in a/b.rs means a/b/x.rs; in lib.rs, main.rs or mod.rs it means a sibling.
    const file = await rustModuleFile(host, crate.src, [...crate.modulePath, name]);
    return file ? [{ path: file, names: [] }] : [];
  }
  const segs = ref.specifier.split('::').filter(Boolean);
  let abs: string[];
  if (segs[0] === 'crate') abs = segs.slice(1);
  else if (segs[0] === 'self') abs = [...crate.modulePath, ...segs.slice(1)];
  else if (segs[0] === 'super') {
    let i = 0;
    const mp = [...crate.modulePath];
    while (segs[i] === 'super') { mp.pop(); i++; }
    abs = [...mp, ...segs.slice(i)];
  } else {
    // A path from an external crate, or (in the crate root) from a local module: try it as local.
    abs = segs;
  }
  // The longest prefix that is a module file; what follows is the item name (if any). A path that does not
  // start at crate/self/super must name at least one module, or `use std::…` would land on lib.rs.
  const minK = ['crate', 'self', 'super'].includes(segs[0]) ? 0 : 1;
  for (let k = abs.length; k >= minK; k--) {
    const file = await rustModuleFile(host, crate.src, abs.slice(0, k));
    if (file && file !== fromPath) return [{ path: file, names: k < abs.length && !ref.wildcard ? [abs[k]] : [] }];
    if (file === fromPath) return [];
  }
  return [];
}
