/**
 * Expands the paths given to the CLI into the files to analyse: folders are walked honouring
 * `.gitignore` files (of the folder and its parents up to the repository root, nested ones, and
 * `.git/info/exclude`) and the configuration's `exclude` patterns. A file named explicitly is
 * analysed even when excluded. Symbolic links to folders are not followed (no loops), and an
 * unreadable folder is reported as skipped rather than failing the run.
 */
import ignore, { type Ignore } from 'ignore';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigResolver } from './config';

export interface WalkOptions {
  cwd: string;
  /** Extensions with the dot, lower case. */
  extensions: readonly string[];
  resolver: ConfigResolver;
}

export interface WalkResult {
  files: string[];
  skipped: { path: string; reason: string }[];
}

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

function findRepoRoot(dir: string): string | undefined {
  for (let d = dir; ; ) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

function relativeTo(base: string, p: string): string {
  return path.relative(base, p).split(path.sep).join('/');
}

function isIgnored(layers: readonly IgnoreLayer[], p: string, isDir: boolean): boolean {
  let ignored = false;
  for (const layer of layers) {
    const rel = relativeTo(layer.base, p);
    if (!rel || rel.startsWith('..')) continue;
    const r = layer.ig.test(isDir ? `${rel}/` : rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

/** The layers of ignore files that apply inside `dir`, from the repository root down. */
function initialLayers(dir: string): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  const repo = findRepoRoot(dir);
  const chain: string[] = [];
  for (let d = dir; ; ) {
    chain.unshift(d);
    if (d === repo) break;
    const parent = path.dirname(d);
    if (parent === d || !repo) break;
    d = parent;
  }
  if (repo) {
    const exclude = readIgnoreFile(path.join(repo, '.git', 'info', 'exclude'));
    if (exclude) layers.push({ base: repo, ig: ignore().add(exclude) });
  }
  for (const d of chain) {
    const text = readIgnoreFile(path.join(d, '.gitignore'));
    if (text) layers.push({ base: d, ig: ignore().add(text) });
  }
  return layers;
}

function excludeLayer(resolver: ConfigResolver, dir: string): IgnoreLayer {
  const { config } = resolver.forDirectory(dir);
  return { base: config.root, ig: ignore().add(config.exclude) };
}

export function walkFiles(paths: readonly string[], options: WalkOptions): WalkResult {
  const files = new Set<string>();
  const skipped: WalkResult['skipped'] = [];
  const exts = new Set(options.extensions);
  const rel = (p: string) => path.relative(options.cwd, p).split(path.sep).join('/') || '.';

  for (const given of paths.length ? paths : ['.']) {
    const abs = path.resolve(options.cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (e) {
      skipped.push({ path: rel(abs), reason: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : `cannot read: ${(e as Error).message}` });
      continue;
    }
    if (stat.isFile()) {
      if (exts.has(path.extname(abs).toLowerCase())) files.add(abs);
      else skipped.push({ path: rel(abs), reason: 'not a Python, TypeScript or JavaScript file' });
      continue;
    }
    if (!stat.isDirectory()) continue;
    const stack: { dir: string; layers: IgnoreLayer[] }[] = [{ dir: abs, layers: initialLayers(abs) }];
    while (stack.length) {
      const { dir, layers } = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        skipped.push({ path: rel(dir), reason: `cannot read folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
        continue;
      }
      let here = layers;
      if (dir !== abs) {
        const text = entries.some((e) => e.name === '.gitignore') ? readIgnoreFile(path.join(dir, '.gitignore')) : undefined;
        if (text) here = [...layers, { base: dir, ig: ignore().add(text) }];
      }
      const excludes = excludeLayer(options.resolver, dir);
      const subdirs: string[] = [];
      for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const p = path.join(dir, entry.name);
        if (entry.isSymbolicLink()) {
          // Follow links to files, never to folders.
          let target: fs.Stats;
          try {
            target = fs.statSync(p);
          } catch {
            continue;
          }
          if (!target.isFile()) continue;
        } else if (entry.isDirectory()) {
          if (entry.name === '.git') continue;
          if (isIgnored(here, p, true) || isIgnored([excludes], p, true)) continue;
          subdirs.push(p);
          continue;
        } else if (!entry.isFile()) continue;
        if (!exts.has(path.extname(entry.name).toLowerCase())) continue;
        if (isIgnored(here, p, false) || isIgnored([excludes], p, false)) continue;
        files.add(p);
      }
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push({ dir: subdirs[i], layers: here });
    }
  }
  return { files: [...files].sort(), skipped };
}
