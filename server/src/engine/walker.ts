/**
 * Expands the paths given to the CLI into the files to analyse: folders are walked honouring
 * `.gitignore` files (of the folder and its parents up to the repository root, nested ones, and
 * `.git/info/exclude`) and the configuration's `exclude` patterns (gitignore syntax, relative to
 * the configuration's folder).
 *
 * What is named on the command line is always taken, as in ruff and ripgrep: a file named
 * explicitly is analysed even when excluded (unless it is not a supported kind of file), and a
 * folder named explicitly is walked even when it is itself ignored. Inside such a folder only
 * name patterns (`*.gen.py`, `node_modules/`) of the ignore files and excludes above it still
 * apply; patterns anchored to a path above it are not (they are what names the folder itself).
 *
 * Symbolic links to files are followed, links to folders never are (no loops, no escaping the
 * tree). An unreadable folder, a broken link or a path that vanished is reported in `skipped`
 * with the reason; the walk never throws for the file system's sake. Output is sorted.
 */
import ignore, { type Ignore } from 'ignore';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigResolver, ResolvedConfig } from './config';

export interface WalkOptions {
  /** Folder the paths are relative to, and the one `skipped`/`missing` paths are shown relative to. */
  cwd: string;
  /** Extensions with the dot (matched case-insensitively). */
  extensions: readonly string[];
  /** Gives the `exclude` patterns (relative to `config.root`) of each folder's configuration. */
  resolver: Pick<ConfigResolver, 'forDirectory'>;
  /** Symbolic links to folders are never followed; the option exists to say so. */
  followSymlinks?: false;
  /**
   * Leave out paths named explicitly that the ignore files or excludes would leave out of a walk
   * (`--force-exclude`: for pre-commit hooks and editors, which name every file they touch).
   */
  forceExclude?: boolean;
}

export interface SkippedPath {
  /** Relative to `cwd`, with `/` separators. */
  path: string;
  reason: string;
}

export interface WalkResult {
  /** Absolute paths, sorted, without duplicates. */
  files: string[];
  /** Paths that exist but could not be walked or taken, with the reason. */
  skipped: SkippedPath[];
  /** Paths named on the command line that do not exist (as given). */
  missing: string[];
}

export const UNSUPPORTED_FILE = 'not a Python, TypeScript or JavaScript file';

interface IgnoreLayer {
  /** Folder the patterns are relative to. */
  base: string;
  ig: Ignore;
}

function readIgnoreFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function makeIgnore(patterns: string | readonly string[]): Ignore | undefined {
  try {
    const ig = ignore({ allowRelativePaths: true });
    ig.add(typeof patterns === 'string' ? patterns : [...patterns]);
    return ig;
  } catch {
    // A pattern the library cannot compile: better no layer than a crash.
    return undefined;
  }
}

function findRepoRoot(dir: string): string | undefined {
  for (let d = dir; ; ) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

/** `p` relative to `base` with `/` separators, or undefined when `p` is not inside `base`. */
function inside(base: string, p: string): string | undefined {
  const rel = path.relative(base, p);
  if (!rel || path.isAbsolute(rel) || rel === '..' || rel.startsWith(`..${path.sep}`)) return undefined;
  return rel.split(path.sep).join('/');
}

/** Whether the layers, deepest last, ignore `p`. A deeper layer's decision overrides a shallower one. */
function isIgnored(layers: readonly IgnoreLayer[], p: string, isDir: boolean): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const rel = inside(layers[i].base, p);
    if (rel === undefined) continue;
    let r;
    try {
      r = layers[i].ig.test(isDir ? `${rel}/` : rel);
    } catch {
      continue;
    }
    if (r.ignored) return true;
    if (r.unignored) return false;
  }
  return false;
}

/**
 * Keeps the lines of a gitignore-syntax list that match by name anywhere (no `/` except a trailing
 * one), i.e. those that mean the same whatever folder they are evaluated from.
 */
function namePatterns(lines: readonly string[]): string[] {
  return lines.filter((line) => {
    const body = line.trim().replace(/^!/, '').replace(/\/+$/, '');
    return body !== '' && !line.startsWith('#') && !body.includes('/');
  });
}

/** The ignore-file layers that apply inside `dir`, from the repository root down to `dir` itself. */
function ancestorLayers(dir: string): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  const repo = findRepoRoot(dir);
  const chain: string[] = [dir];
  if (repo) {
    for (let d = dir; d !== repo; ) {
      const parent = path.dirname(d);
      if (parent === d) break;
      chain.unshift(parent);
      d = parent;
    }
    const exclude = readIgnoreFile(path.join(repo, '.git', 'info', 'exclude'));
    const ig = exclude ? makeIgnore(exclude) : undefined;
    if (ig) layers.push({ base: repo, ig });
  }
  for (const d of chain) {
    const text = readIgnoreFile(path.join(d, '.gitignore'));
    const ig = text ? makeIgnore(text) : undefined;
    if (ig) layers.push({ base: d, ig });
  }
  return layers;
}

/** Layers for a walk root that is itself ignored: only name patterns from above it, re-rooted at it. */
function rerootedLayers(root: string): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  const repo = findRepoRoot(root);
  if (repo && repo !== root) {
    const files = [path.join(repo, '.git', 'info', 'exclude')];
    const dirs: string[] = [];
    for (let d = path.dirname(root); ; d = path.dirname(d)) {
      dirs.unshift(d);
      if (d === repo || path.dirname(d) === d) break;
    }
    for (const d of dirs) files.push(path.join(d, '.gitignore'));
    for (const file of files) {
      const text = readIgnoreFile(file);
      const ig = text ? makeIgnore(namePatterns(text.split(/\r?\n/))) : undefined;
      if (ig) layers.push({ base: root, ig });
    }
  }
  const own = readIgnoreFile(path.join(root, '.gitignore'));
  const ig = own ? makeIgnore(own) : undefined;
  if (ig) layers.push({ base: root, ig });
  return layers;
}

class ExcludeLayers {
  private readonly byConfig = new WeakMap<ResolvedConfig, IgnoreLayer | null>();

  constructor(
    private readonly resolver: Pick<ConfigResolver, 'forDirectory'>,
    /** A walk root that is itself excluded: configurations rooted above it only apply name patterns. */
    private readonly explicitRoot?: string,
  ) {}

  forDirectory(dir: string): IgnoreLayer[] {
    const { config } = this.resolver.forDirectory(dir);
    let layer = this.byConfig.get(config);
    if (layer === undefined) {
      const above = this.explicitRoot !== undefined && inside(config.root, this.explicitRoot) !== undefined;
      const ig = makeIgnore(above ? namePatterns(config.exclude) : config.exclude);
      layer = ig ? { base: above ? this.explicitRoot! : config.root, ig } : null;
      this.byConfig.set(config, layer);
    }
    return layer ? [layer] : [];
  }
}

/**
 * Whether a walk from above would leave a path out: the path or a folder above it is matched by
 * the ignore files or by the excludes of the folder's configuration.
 */
export class ExplicitExcludes {
  private readonly excludeLayers: ExcludeLayers;
  private readonly layersOf = new Map<string, IgnoreLayer[]>();
  private readonly folderExcluded = new Map<string, boolean>();

  constructor(resolver: Pick<ConfigResolver, 'forDirectory'>) {
    this.excludeLayers = new ExcludeLayers(resolver);
  }

  excludes(abs: string, isDir: boolean): boolean {
    const parent = path.dirname(abs);
    if (parent === abs) return false;
    return this.folderIsExcluded(parent) || this.test(parent, abs, isDir);
  }

  private folderIsExcluded(dir: string): boolean {
    let hit = this.folderExcluded.get(dir);
    if (hit === undefined) {
      const parent = path.dirname(dir);
      hit = parent !== dir && path.basename(dir) !== '.git' ? this.folderIsExcluded(parent) || this.test(parent, dir, true) : false;
      this.folderExcluded.set(dir, hit);
    }
    return hit;
  }

  private test(parent: string, p: string, isDir: boolean): boolean {
    let layers = this.layersOf.get(parent);
    if (!layers) this.layersOf.set(parent, (layers = ancestorLayers(parent)));
    return isIgnored(layers, p, isDir) || isIgnored(this.excludeLayers.forDirectory(parent), p, isDir);
  }
}

function byName(a: fs.Dirent, b: fs.Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function errorReason(prefix: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const why = err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied' : err.code ?? err.message;
  return `${prefix}: ${why}`;
}

export function walkFiles(paths: readonly string[], options: WalkOptions): WalkResult {
  const files = new Set<string>();
  const skipped: SkippedPath[] = [];
  const missing: string[] = [];
  const exts = new Set(options.extensions.map((e) => e.toLowerCase()));
  const rel = (p: string) => path.relative(options.cwd, p).split(path.sep).join('/') || '.';
  const supported = (p: string) => exts.has(path.extname(p).toLowerCase());

  const explicit = options.forceExclude ? new ExplicitExcludes(options.resolver) : undefined;
  for (const given of paths.length ? paths : ['.']) {
    const abs = path.resolve(options.cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') missing.push(given);
      else skipped.push({ path: rel(abs), reason: errorReason('cannot read', e) });
      continue;
    }
    if (explicit?.excludes(abs, stat.isDirectory())) continue;
    if (stat.isFile()) {
      if (supported(abs)) files.add(abs);
      else skipped.push({ path: rel(abs), reason: UNSUPPORTED_FILE });
      continue;
    }
    if (!stat.isDirectory()) {
      skipped.push({ path: rel(abs), reason: 'not a regular file or folder' });
      continue;
    }

    // The root itself is never tested: it was asked for. If the ignore rules above it would
    // exclude it, keep only their name patterns (see the header).
    let rootLayers = ancestorLayers(abs);
    let excludes = new ExcludeLayers(options.resolver);
    const parentDir = path.dirname(abs);
    if (parentDir !== abs) {
      const gitIgnored = isIgnored(rootLayers.filter((l) => l.base !== abs), abs, true);
      const excluded = isIgnored(excludes.forDirectory(parentDir), abs, true);
      if (gitIgnored) rootLayers = rerootedLayers(abs);
      if (excluded) excludes = new ExcludeLayers(options.resolver, abs);
    }

    const stack: { dir: string; layers: IgnoreLayer[] }[] = [{ dir: abs, layers: rootLayers }];
    while (stack.length) {
      const { dir, layers } = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        skipped.push({ path: rel(dir), reason: errorReason('cannot read folder', e) });
        continue;
      }
      let here = layers;
      if (dir !== abs && entries.some((e) => e.name === '.gitignore')) {
        const text = readIgnoreFile(path.join(dir, '.gitignore'));
        const ig = text ? makeIgnore(text) : undefined;
        if (ig) here = [...layers, { base: dir, ig }];
      }
      const dirExcludes = excludes.forDirectory(dir);
      const ignored = (p: string, isDir: boolean) => isIgnored(here, p, isDir) || isIgnored(dirExcludes, p, isDir);
      const subdirs: string[] = [];
      for (const entry of entries.sort(byName)) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name === '.git' || ignored(p, true)) continue;
          subdirs.push(p);
          continue;
        }
        if (entry.isSymbolicLink()) {
          // Links to files are followed; links to folders never are.
          if (!supported(p) || ignored(p, false)) continue;
          let target: fs.Stats;
          try {
            target = fs.statSync(p);
          } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            skipped.push({ path: rel(p), reason: code === 'ENOENT' ? 'broken symbolic link' : errorReason('cannot read', e) });
            continue;
          }
          if (target.isFile()) files.add(p);
          continue;
        }
        if (!entry.isFile() || !supported(p) || ignored(p, false)) continue;
        files.add(p);
      }
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push({ dir: subdirs[i], layers: here });
    }
  }
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    files: [...files].sort(order),
    skipped: skipped.sort((a, b) => order(a.path, b.path)),
    missing,
  };
}
