/**
 * Configuration: `asyncsense.json`, `[tool.asyncsense]` in `pyproject.toml`, or an `asyncsense`
 * key in `package.json`. The nearest folder with one of them configures a file (in that order of
 * preference within one folder). Reading configuration never executes anything.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { SEVERITIES, type Severity } from './types';

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

/** Folders skipped by the walker unless a file inside is named explicitly. */
export const DEFAULT_EXCLUDE: readonly string[] = [
  '.bzr', '.direnv', '.eggs', '.git', '.hg', '.mypy_cache', '.nox', '.pants.d', '.pytype',
  '.ruff_cache', '.svn', '.tox', '.venv', '__pypackages__', '_build', 'buck-out', 'dist',
  'node_modules', 'venv', '.vscode-test', 'out', 'build', 'coverage', '__pycache__',
];

export type SeverityOrOff = Severity | 'off';

export interface ResolvedConfig {
  /** Rule ids to run; `null` runs every rule that is on by default. `"all"` selects every rule. */
  select: string[] | null;
  /** Rule ids added to the default or selected set. */
  extendSelect: string[];
  ignore: string[];
  severity: Record<string, SeverityOrOff>;
  /** Glob patterns (gitignore-like, relative to `root`) of files and folders not to analyse. */
  exclude: string[];
  maxFileSize: number;
  /** Folder the configuration applies from (globs are relative to it). */
  root: string;
  /** The file it came from, if any. */
  source?: string;
  /** Oldest Python version to support: `target-version = "py311"`, else `[project] requires-python`. */
  pythonVersion?: readonly [number, number];
}

export interface ConfigProblem {
  file: string;
  key?: string;
  message: string;
}

export interface LoadedConfig {
  config: ResolvedConfig;
  problems: ConfigProblem[];
}

export function defaultConfig(root: string): ResolvedConfig {
  return {
    select: null,
    extendSelect: [],
    ignore: [],
    severity: {},
    exclude: [...DEFAULT_EXCLUDE],
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
    root,
  };
}

/** Parses sizes such as `5242880`, `"5MB"`, `"512 KiB"`. */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return Math.floor(value);
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?\s*$/i.exec(value);
  if (!m) return undefined;
  const n = parseFloat(m[1]);
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('g') ? 1024 ** 3 : 1;
  const size = Math.floor(n * mult);
  return size > 0 ? size : undefined;
}

const KEY_ALIASES: Record<string, string> = {
  select: 'select',
  'extend-select': 'extendSelect',
  extendSelect: 'extendSelect',
  ignore: 'ignore',
  severity: 'severity',
  exclude: 'exclude',
  'extend-exclude': 'extendExclude',
  extendExclude: 'extendExclude',
  'max-file-size': 'maxFileSize',
  maxFileSize: 'maxFileSize',
  'target-version': 'targetVersion',
  targetVersion: 'targetVersion',
};

/** `"py311"` or `"3.11"` → [3, 11]. */
export function parseTargetVersion(value: unknown): [number, number] | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(?:py)?3\.?(\d{1,2})$/.exec(value.trim());
  return m ? [3, Number(m[1])] : undefined;
}

/** The lowest version a `requires-python` specifier allows (`>=3.9`, `~=3.10`, `>=3.8,<4`), if stated. */
export function minimumFromRequiresPython(spec: unknown): [number, number] | undefined {
  if (typeof spec !== 'string') return undefined;
  const m = /(?:>=|~=|==)\s*3\.(\d+)/.exec(spec);
  return m ? [3, Number(m[1])] : undefined;
}

/**
 * Validates a raw configuration object. Problems name the file and key; the valid parts are
 * applied over the defaults, the invalid ones are ignored.
 */
export function resolveConfig(
  raw: unknown,
  file: string,
  root: string,
  knownRules: ReadonlySet<string>,
): LoadedConfig {
  const config = defaultConfig(root);
  config.source = file;
  const problems: ConfigProblem[] = [];
  if (raw === undefined || raw === null) return { config, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ file, message: 'the AsyncSense configuration must be a table/object' });
    return { config, problems };
  }
  const ruleList = (key: string, value: unknown): string[] | undefined => {
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      problems.push({ file, key, message: `'${key}' must be a list of rule ids` });
      return undefined;
    }
    const ids: string[] = [];
    for (const id of value as string[]) {
      if (id === 'all' || id === 'ALL') ids.push('all');
      else if (knownRules.has(id)) ids.push(id);
      else problems.push({ file, key, message: `unknown rule id '${id}' in '${key}'` });
    }
    return ids;
  };
  const globList = (key: string, value: unknown): string[] | undefined => {
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === '')) {
      problems.push({ file, key, message: `'${key}' must be a list of glob patterns` });
      return undefined;
    }
    return value as string[];
  };
  for (const [rawKey, value] of Object.entries(raw as Record<string, unknown>)) {
    const key = KEY_ALIASES[rawKey];
    switch (key) {
      case 'select': {
        const ids = ruleList(rawKey, value);
        if (ids) config.select = ids;
        break;
      }
      case 'extendSelect': {
        const ids = ruleList(rawKey, value);
        if (ids) config.extendSelect = ids;
        break;
      }
      case 'ignore': {
        const ids = ruleList(rawKey, value);
        if (ids) config.ignore = ids;
        break;
      }
      case 'exclude': {
        const globs = globList(rawKey, value);
        if (globs) config.exclude = globs;
        break;
      }
      case 'extendExclude': {
        const globs = globList(rawKey, value);
        if (globs) config.exclude = [...config.exclude, ...globs];
        break;
      }
      case 'targetVersion': {
        const v = parseTargetVersion(value);
        if (!v) problems.push({ file, key: rawKey, message: `'${rawKey}' must be a Python version such as "py311" or "3.11"` });
        else config.pythonVersion = v;
        break;
      }
      case 'maxFileSize': {
        const size = parseSize(value);
        if (size === undefined) problems.push({ file, key: rawKey, message: `'${rawKey}' must be a positive size such as 5242880 or "5MB"` });
        else config.maxFileSize = size;
        break;
      }
      case 'severity': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          problems.push({ file, key: rawKey, message: `'${rawKey}' must map rule ids to ${[...SEVERITIES, 'off'].join('|')}` });
          break;
        }
        for (const [id, sev] of Object.entries(value as Record<string, unknown>)) {
          if (!knownRules.has(id)) {
            problems.push({ file, key: `${rawKey}.${id}`, message: `unknown rule id '${id}'` });
          } else if (typeof sev !== 'string' || !(SEVERITIES as readonly string[]).concat('off').includes(sev)) {
            problems.push({ file, key: `${rawKey}.${id}`, message: `severity must be one of ${[...SEVERITIES, 'off'].join(', ')}` });
          } else {
            config.severity[id] = sev as SeverityOrOff;
          }
        }
        break;
      }
      default:
        problems.push({ file, key: rawKey, message: `unknown setting '${rawKey}'` });
    }
  }
  return { config, problems };
}

/** Reads the AsyncSense section of one candidate file; `undefined` when the file has none. */
export function readConfigFile(file: string): { raw: unknown; problems: ConfigProblem[]; requiresPython?: [number, number] } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { raw: undefined, problems: [{ file, message: `cannot read: ${(e as Error).message}` }] };
  }
  const base = path.basename(file);
  try {
    if (base === 'pyproject.toml') {
      const doc = parseToml(text) as Record<string, unknown>;
      const tool = doc.tool as Record<string, unknown> | undefined;
      if (!tool || typeof tool !== 'object' || !('asyncsense' in tool)) return undefined;
      const project = doc.project as Record<string, unknown> | undefined;
      return { raw: tool.asyncsense, problems: [], requiresPython: minimumFromRequiresPython(project?.['requires-python']) };
    }
    const doc = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
    if (base === 'package.json') {
      if (!doc || typeof doc !== 'object' || !('asyncsense' in (doc as object))) return undefined;
      return { raw: (doc as Record<string, unknown>).asyncsense, problems: [] };
    }
    return { raw: doc, problems: [] };
  } catch (e) {
    const kind = base.endsWith('.toml') ? 'TOML' : 'JSON';
    return { raw: undefined, problems: [{ file, message: `invalid ${kind}: ${(e as Error).message.split('\n')[0]}` }] };
  }
}

const CANDIDATES = ['asyncsense.json', 'pyproject.toml', 'package.json'] as const;

/** Finds and loads the configuration for files in `dir`, caching per folder. */
export class ConfigResolver {
  private readonly cache = new Map<string, LoadedConfig>();

  constructor(
    private readonly knownRules: ReadonlySet<string>,
    /** Used when no configuration file is found (e.g. the workspace root). */
    private readonly fallbackRoot: string,
    /** An explicit configuration file (`--config`): used for every file. */
    private readonly explicitFile?: string,
  ) {}

  forFile(filePath: string): LoadedConfig {
    return this.forDirectory(path.dirname(path.resolve(filePath)));
  }

  forDirectory(dir: string): LoadedConfig {
    if (this.explicitFile) {
      return this.memo(`explicit:${this.explicitFile}`, () => this.loadExplicit(this.explicitFile!));
    }
    return this.memo(dir, () => {
      let requiresPython: [number, number] | undefined;
      for (const name of CANDIDATES) {
        const file = path.join(dir, name);
        if (!isFile(file)) continue;
        const read = readConfigFile(file);
        if (!read) {
          if (name === 'pyproject.toml') requiresPython = readRequiresPython(file);
          continue;
        }
        const loaded = resolveConfig(read.raw, file, dir, this.knownRules);
        loaded.problems.unshift(...read.problems);
        loaded.config.pythonVersion ??= read.requiresPython;
        return loaded;
      }
      const parent = path.dirname(dir);
      const inherited = parent === dir ? { config: defaultConfig(this.fallbackRoot), problems: [] } : this.forDirectory(parent);
      // A pyproject.toml without [tool.asyncsense] still tells the project's Python version.
      if (requiresPython && !inherited.config.pythonVersion) return { ...inherited, config: { ...inherited.config, pythonVersion: requiresPython } };
      return inherited;
    });
  }

  /** Forgets cached results (after a configuration file changed). */
  clear(): void {
    this.cache.clear();
  }

  private loadExplicit(file: string): LoadedConfig {
    const abs = path.resolve(file);
    if (!isFile(abs)) {
      return { config: defaultConfig(path.dirname(abs)), problems: [{ file: abs, message: 'configuration file not found' }] };
    }
    const read = readConfigFile(abs);
    if (!read) return { config: defaultConfig(path.dirname(abs)), problems: [] };
    const loaded = resolveConfig(read.raw, abs, path.dirname(abs), this.knownRules);
    loaded.problems.unshift(...read.problems);
    return loaded;
  }

  private memo(key: string, make: () => LoadedConfig): LoadedConfig {
    let hit = this.cache.get(key);
    if (!hit) {
      hit = make();
      this.cache.set(key, hit);
    }
    return hit;
  }
}

function readRequiresPython(file: string): [number, number] | undefined {
  try {
    const doc = parseToml(fs.readFileSync(file, 'utf8')) as { project?: Record<string, unknown> };
    return minimumFromRequiresPython(doc.project?.['requires-python']);
  } catch {
    return undefined;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
