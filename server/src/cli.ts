/**
 * The CLI twin of the language server: the same engine, findings and fixes, for CI.
 *
 *   asyncsense check [PATH... | -] [--format text|json|sarif|github|gitlab] [--fix | --diff]
 *                    [--unsafe-fixes] [--select ids] [--ignore ids] [--config FILE]
 *                    [--output FILE] [--quiet] [--statistics] [--exit-zero] [--force-exclude]
 *                    [--stdin-filename NAME]
 *   asyncsense rules [--format text|json]
 *   asyncsense server --stdio
 *
 * Exit codes: 0 no findings, 1 findings, 2 usage, configuration or internal error (message on
 * stderr). The JSON, SARIF and GitHub formats are contracts (see /work/shared/design.md).
 * Nothing here executes workspace code: files are read as bytes and parsed.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import { TOOL_NAME, TOOL_VERSION, createEngine, ruleDocUrl } from './analyzer';
import { ConfigResolver, type ConfigProblem, type LoadedConfig, type ResolvedConfig } from './engine/config';
import type { Engine } from './engine/engine';
import { decodeSource, encodeSource, readSource } from './engine/source';
import { fixText } from './engine/fixes';
import type { Finding, Rule, Severity } from './engine/types';
import { ExplicitExcludes, walkFiles, type SkippedPath } from './engine/walker';
import { allRules } from './rules';
import { analyzeTasks, jobsFor } from './scanPool';

/** The engine behind `check`, for programs that run it in-process (the benchmark measures this bundle). */
export { ConfigResolver, analyzeTasks, createEngine, jobsFor, walkFiles };

const HELP = `Usage: asyncsense <command> [options]

Commands:
  check [PATH...]     Analyse files and folders (default: the current folder);
                      '-' reads one file's text from standard input
  rules               List every rule
  server --stdio      Start the language server (for any LSP editor)

Options for check:
  --format FORMAT     text (default), json, sarif, github or gitlab
  --fix               Apply safe fixes and report what is left
  --diff              Print the changes --fix would make as a unified diff; write nothing
  --unsafe-fixes      With --fix or --diff, also apply fixes that are only suggestions
  --select IDS        Run only these rules (comma-separated ids, or "all")
  --ignore IDS        Do not run these rules (comma-separated ids)
  --config FILE       Use this configuration file for every file
  --output FILE       Write the report to FILE instead of standard output
  -q, --quiet         Print findings only: no summary, notes or fix counts
  --statistics        Print how many findings each rule has instead of the findings
  --exit-zero         Exit with 0 even when findings are left
  --force-exclude     Apply .gitignore and the configuration's excludes to paths named
                      explicitly too (for pre-commit hooks, which name every file)
  --stdin-filename F  The path standard input stands for (its language and configuration);
                      with --fix, the fixed text goes to standard output, the report to stderr
  -j, --jobs N        Analyse on N threads (default 1; --fix and --diff use one)

Options for rules:
  --format FORMAT     text (default) or json

  -h, --help          Show this help
  -v, --version       Show the version

Folders are walked honouring .gitignore files and the configuration's excludes; files and
folders named explicitly are always analysed.

Exit codes: 0 no findings, 1 findings, 2 usage, configuration or internal error.
With --diff: 0 nothing to fix, 1 fixes to apply.
`;

const FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab'] as const;
type Format = (typeof FORMATS)[number];

class UsageError extends Error {}

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Bytes for standard output (the fixed text of standard input, BOM and all). */
  outBytes?: (bytes: Buffer) => void;
  /** Standard input's bytes (`check -`). */
  readStdin?: () => Buffer;
}

interface FileReport {
  path: string;
  findings: Finding[];
}

interface Summary {
  files: number;
  findings: number;
  durationMs: number;
  skipped: SkippedPath[];
  fixed?: number;
}

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`asyncsense: ${e.message}\nRun 'asyncsense --help' for usage.\n`);
      return 2;
    }
    io.err(`asyncsense: internal error: ${describeError(e)}\n`);
    return 2;
  }
}

function defaultIo(): Io {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    outBytes: (b) => void process.stdout.write(b),
    readStdin: () => fs.readFileSync(0),
  };
}

function debug(): boolean {
  return !!process.env.ASYNCSENSE_DEBUG;
}

function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return debug() && e.stack ? e.stack : e.message;
}

async function run(argv: string[], io: Io): Promise<number> {
  // The server takes the transport options of vscode-languageserver (`--stdio`, `--node-ipc`,
  // `--socket=N`, `--pipe=NAME`) and whatever else LSP clients add (`--clientProcessId=N`).
  if (argv[0] === 'server') return server(argv.slice(1));

  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        fix: { type: 'boolean' },
        'unsafe-fixes': { type: 'boolean' },
        select: { type: 'string' },
        ignore: { type: 'string' },
        config: { type: 'string' },
        output: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        diff: { type: 'boolean' },
        statistics: { type: 'boolean' },
        'exit-zero': { type: 'boolean' },
        'stdin-filename': { type: 'string' },
        'force-exclude': { type: 'boolean' },
        jobs: { type: 'string', short: 'j' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.out(`${TOOL_NAME} ${TOOL_VERSION}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  if (!command) {
    io.err(HELP);
    return 2;
  }
  switch (command) {
    case 'check':
      return check(rest, values, io);
    case 'rules':
      if (rest.length) throw new UsageError(`'rules' takes no arguments (got '${rest[0]}')`);
      return rules(values.format ?? 'text', io);
    case 'server':
      throw new UsageError("options go after 'server' (asyncsense server --stdio)");
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

async function server(args: string[]): Promise<number> {
  const transport = args.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='));
  if (!transport) throw new UsageError("'server' needs --stdio (or --node-ipc, --socket=PORT, --pipe=NAME)");
  const { startServer } = await import('./server');
  // vscode-languageserver reads the transport from process.argv; this never resolves: the
  // connection keeps the process alive and ends it on the client's `exit` notification.
  startServer();
  return new Promise<number>(() => undefined);
}

function splitIds(value: string | undefined, engine: Engine, option: string): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value.split(',').map((s) => s.trim()).filter(Boolean).map((id) => (id === 'ALL' ? 'all' : id));
  for (const id of ids) {
    if (id !== 'all' && !engine.ruleIds.has(id)) throw new UsageError(`unknown rule id '${id}' in ${option}`);
  }
  return ids;
}

interface CheckOptions {
  format?: string;
  fix?: boolean;
  'unsafe-fixes'?: boolean;
  select?: string;
  ignore?: string;
  config?: string;
  output?: string;
  quiet?: boolean;
  diff?: boolean;
  statistics?: boolean;
  'exit-zero'?: boolean;
  'stdin-filename'?: string;
  'force-exclude'?: boolean;
  jobs?: string;
}

/** What `-` (or `--stdin-filename` alone) reads: the path it stands for, and its bytes. */
interface StdinSource {
  file: string;
  bytes: Buffer;
}

/** Whether the check reads standard input, and for which path; throws on a wrong combination. */
function stdinSource(paths: string[], options: CheckOptions, cwd: string, readStdin: () => Buffer): StdinSource | undefined {
  const name = options['stdin-filename'];
  const dash = paths.includes('-');
  if (!dash && (name === undefined || paths.length > 0)) {
    if (name !== undefined) throw new UsageError("--stdin-filename names standard input: give '-' (or no path) with it");
    return undefined;
  }
  if (paths.length > 1) throw new UsageError("'-' (standard input) cannot be mixed with other paths");
  if (!name) throw new UsageError("reading standard input needs --stdin-filename PATH (it tells the language and the configuration)");
  return { file: path.resolve(cwd, name), bytes: readStdin() };
}

/**
 * The configuration of each file. With `--config FILE`, its `exclude` patterns are relative to the
 * current folder, as in ruff (the file may live anywhere, e.g. `ci/asyncsense.json`).
 */
function cliConfigs(resolver: ConfigResolver, explicitRoot: string | undefined): Pick<ConfigResolver, 'forDirectory' | 'forFile'> {
  if (!explicitRoot) return resolver;
  const rerooted = new WeakMap<LoadedConfig, LoadedConfig>();
  const reroot = (loaded: LoadedConfig): LoadedConfig => {
    let hit = rerooted.get(loaded);
    if (!hit) {
      hit = { ...loaded, config: { ...loaded.config, root: explicitRoot } };
      rerooted.set(loaded, hit);
    }
    return hit;
  };
  return {
    forDirectory: (dir) => reroot(resolver.forDirectory(dir)),
    forFile: (file) => reroot(resolver.forFile(file)),
  };
}

async function check(paths: string[], options: CheckOptions, io: Io): Promise<number> {
  const format = (options.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${options.format}' (${FORMATS.join(', ')})`);
  if (options['unsafe-fixes'] && !options.fix && !options.diff) throw new UsageError('--unsafe-fixes needs --fix or --diff');
  if (options.diff && options.fix) throw new UsageError('--diff shows what --fix would do: give one of them');
  if (options.diff && options.statistics) throw new UsageError('--diff and --statistics cannot be combined');
  if ((options.diff || options.statistics) && format !== 'text') {
    throw new UsageError(`--${options.diff ? 'diff' : 'statistics'} prints text: it takes no --format ${format}`);
  }
  if (options.jobs !== undefined && !/^[1-9]\d{0,2}$/.test(options.jobs)) throw new UsageError(`--jobs takes a number of threads from 1 to 999, not '${options.jobs}'`);
  const started = Date.now();
  const cwd = process.cwd();
  const stdin = stdinSource(paths, options, cwd, io.readStdin ?? (() => fs.readFileSync(0)));
  const relPath = (p: string) => path.relative(cwd, p).split(path.sep).join('/') || '.';

  // Rules that throw are bugs in AsyncSense: reported as internal errors (exit 2), not hidden.
  const ruleFailures = new Set<string>();
  const noteRuleErrors = (rel: string, errors: readonly { rule: string; message: string }[]) => {
    for (const e of errors) ruleFailures.add(`rule ${e.rule} failed on ${rel}: ${debug() ? e.message : e.message.split('\n')[0]}`);
  };
  const engine = await createEngine();
  const select = splitIds(options.select, engine, '--select');
  const ignoreIds = splitIds(options.ignore, engine, '--ignore');
  const explicitConfig = options.config ? path.resolve(cwd, options.config) : undefined;
  const resolver = cliConfigs(new ConfigResolver(engine.ruleIds, cwd, explicitConfig), explicitConfig ? cwd : undefined);

  // Standard input stands for one file, analysed whatever the walk's excludes say (as a file
  // named explicitly is); its extension picks the language.
  const walked = stdin
    ? { files: [stdin.file], skipped: [], missing: [] as string[] }
    : walkFiles(paths, { cwd, extensions: engine.extensions, resolver, forceExclude: options['force-exclude'] });
  /** With --fix on standard input: the text for standard output, fixed or as it came. */
  let fixedStdin: Buffer | undefined;
  // Excluded standard input is analysed as nothing; with --fix it comes back unchanged.
  if (stdin && options['force-exclude'] && new ExplicitExcludes(resolver).excludes(stdin.file, false)) {
    walked.files = [];
    if (options.fix) fixedStdin = stdin.bytes;
  }
  if (stdin && !engine.extensions.includes(path.extname(stdin.file).toLowerCase())) {
    throw new UsageError(`--stdin-filename ${options['stdin-filename']}: no analyser for '${path.extname(stdin.file) || 'no extension'}' (${engine.extensions.join(' ')})`);
  }

  // Configuration problems: of every file's configuration, and of the folders named.
  const problems = new Map<string, ConfigProblem>();
  const addProblems = (list: readonly ConfigProblem[]) => {
    for (const p of list) problems.set(`${p.file}\0${p.key ?? ''}\0${p.message}`, p);
  };
  for (const given of stdin ? [stdin.file] : paths.length ? paths : ['.']) {
    const abs = path.resolve(cwd, given);
    if (walked.missing.includes(given)) continue;
    let dir = abs;
    try {
      if (!fs.statSync(abs).isDirectory()) dir = path.dirname(abs);
    } catch {
      dir = path.dirname(abs);
    }
    addProblems(resolver.forDirectory(dir).problems);
  }
  const configs: { file: string; config: ResolvedConfig }[] = [];
  for (const file of walked.files) {
    const loaded = resolver.forFile(file);
    addProblems(loaded.problems);
    configs.push({ file, config: loaded.config });
  }
  if (walked.missing.length || problems.size) {
    for (const m of walked.missing) io.err(`asyncsense: no such file or folder: ${m}\n`);
    for (const p of problems.values()) {
      io.err(`asyncsense: invalid configuration in ${relPath(p.file)}${p.key ? ` (key '${p.key}')` : ''}: ${p.message}\n`);
    }
    return 2;
  }

  // Files are analysed in the engine's order and reported in the walk's.
  const rank = new Map(walked.files.map((f, i) => [f, i]));
  const configOf = new Map(configs.map((c) => [c.file, c]));
  const ordered = engine.prepareFiles(walked.files).map((f) => configOf.get(f)!);
  const skipped = walked.skipped.slice();
  const reports: FileReport[] = [];
  const rankOf = new Map<FileReport, number>();
  const internalErrors: string[] = [];
  let fixed = 0;
  let fixedFiles = 0;
  const fixing = options.fix || options.diff;
  const diffs: string[] = [];

  const withOptions = (base: ResolvedConfig): ResolvedConfig => ({
    ...base,
    select: select ?? base.select,
    extendSelect: select ? [] : base.extendSelect,
    ignore: ignoreIds ?? base.ignore,
  });
  const record = (file: string, findings: Finding[]) => {
    const report = { path: relPath(file), findings };
    reports.push(report);
    rankOf.set(report, rank.get(file)!);
  };

  if (!fixing && !stdin) {
    // A check of files on disk: on several threads when it is big enough (see scanPool.ts).
    const tasks = ordered.map(({ file, config }) => ({ file, config: withOptions(config) }));
    const jobs = jobsFor(tasks, options.jobs === undefined ? undefined : Number(options.jobs));
    const outcomes = await analyzeTasks(engine, ordered.map((o) => o.file), tasks, jobs, (m) => {
      if (debug()) io.err(`asyncsense: ${m}\n`);
    });
    if (debug()) io.err(`asyncsense: analysed ${plural(tasks.length, 'file')} on ${plural(jobs, 'thread')}\n`);
    tasks.forEach(({ file }, i) => {
      const rel = relPath(file);
      const outcome = outcomes[i];
      if (outcome.kind === 'unread') skipped.push({ path: rel, reason: outcome.reason });
      else if (outcome.kind === 'failed') internalErrors.push(`failed on ${rel}: ${debug() ? outcome.message : outcome.message.split('\n')[0]}`);
      else {
        noteRuleErrors(rel, outcome.result.ruleErrors);
        if (outcome.result.skipped) skipped.push({ path: rel, reason: outcome.result.skipped });
        else record(file, outcome.result.findings);
      }
    });
  } else for (const { file, config: base } of ordered) {
    const config = withOptions(base);
    const rel = relPath(file);
    const source = stdin ? decodeSource(stdin.bytes, config.maxFileSize, file) : readSource(file, config.maxFileSize);
    if ('skipped' in source) {
      skipped.push({ path: rel, reason: source.skipped });
      // Standard input that cannot be analysed comes back unchanged: a fixer in a pipe loses nothing.
      if (stdin && options.fix) fixedStdin = stdin.bytes;
      continue;
    }
    try {
      let findings: Finding[];
      if (fixing) {
        const result = fixText(engine, { filePath: file, text: source.text }, config, { unsafe: options['unsafe-fixes'] });
        noteRuleErrors(rel, result.ruleErrors);
        const encoded = encodeSource(result.text, source);
        const changed = result.applied > 0 && result.text !== source.text;
        if (stdin && options.fix) fixedStdin = changed && Buffer.isBuffer(encoded) ? encoded : stdin.bytes;
        if (changed) {
          const refused = !Buffer.isBuffer(encoded) ? `not fixed: ${encoded.refused}` : options.diff || stdin ? undefined : writeFixed(file, encoded, cwd);
          if (refused) {
            skipped.push({ path: rel, reason: refused });
            // Nothing was written: every finding of the file as it is remains.
            record(file, engine.analyze({ filePath: file, text: source.text }, config).findings);
            continue;
          }
          if (options.diff) diffs.push(unifiedDiff(rel, source.text, result.text));
          fixed += result.applied;
          fixedFiles++;
        }
        findings = result.remaining;
      } else {
        const result = engine.analyze({ filePath: file, text: source.text }, config);
        noteRuleErrors(rel, result.ruleErrors);
        if (result.skipped) {
          skipped.push({ path: rel, reason: result.skipped });
          continue;
        }
        findings = result.findings;
      }
      record(file, findings);
    } catch (e) {
      internalErrors.push(`failed on ${rel}: ${describeError(e)}`);
    }
  }
  reports.sort((a, b) => rankOf.get(a)! - rankOf.get(b)!);
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const total = reports.reduce((n, r) => n + r.findings.length, 0);
  const summary: Summary = { files: reports.length, findings: total, durationMs: Date.now() - started, skipped };
  if (options.fix) summary.fixed = fixed;
  const failures = [...internalErrors, ...ruleFailures];
  let output: string;
  if (options.diff) output = diffs.join('');
  else if (options.statistics) output = toStatistics(reports, summary, !!options.quiet);
  else switch (format) {
    case 'json':
      output = `${JSON.stringify(toJson(reports, summary), null, 2)}\n`;
      break;
    case 'sarif':
      output = `${JSON.stringify(toSarif(engine, reports, skipped, failures, cwd), null, 2)}\n`;
      break;
    case 'github':
      output = toGithub(reports);
      break;
    case 'gitlab':
      output = `${JSON.stringify(toGitlab(reports), null, 2)}\n`;
      break;
    default:
      output = toText(reports, summary, { color: useColor(options.output), quiet: !!options.quiet, fix: !!options.fix });
  }
  // With --fix on standard input, standard output carries the fixed text (a formatter's
  // contract): the report goes to the --output file or to standard error.
  if (fixedStdin) (io.outBytes ?? ((b: Buffer) => io.out(b.toString('utf8'))))(fixedStdin);
  if (options.output) {
    const target = path.resolve(cwd, options.output);
    try {
      fs.writeFileSync(target, output);
    } catch (e) {
      io.err(`asyncsense: cannot write the report to ${options.output}: ${(e as Error).message}\n`);
      return 2;
    }
  } else if (stdin && options.fix) {
    io.err(output);
  } else {
    io.out(output);
  }
  if (!options.quiet) {
    for (const s of skipped) io.err(`note: skipped ${s.path}: ${s.reason}\n`);
    if (options.fix) io.err(`Applied ${plural(fixed, 'fix', 'fixes')} in ${plural(fixedFiles, 'file')}.\n`);
    if (options.diff) {
      const left = total ? ` (${plural(total, 'finding')} would be left)` : '';
      io.err(fixed ? `Would apply ${plural(fixed, 'fix', 'fixes')} in ${plural(fixedFiles, 'file')}${left}.\n` : `Nothing to fix${left}.\n`);
    }
  }
  if (failures.length) {
    for (const f of failures) io.err(`asyncsense: internal error: ${f}\n`);
    io.err('asyncsense: the results above are incomplete; please report this (ASYNCSENSE_DEBUG=1 shows details).\n');
    return 2;
  }
  // --diff answers "is anything left to fix?"; a check answers "is anything left?".
  if (options.diff) return fixed > 0 && !options['exit-zero'] ? 1 : 0;
  return total > 0 && !options['exit-zero'] ? 1 : 0;
}

/**
 * A file's fixes as a unified diff with git's `a/` and `b/` prefixes (`git apply` and `patch -p1`
 * take it as it is).
 */
function unifiedDiff(rel: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(`a/${rel}`, `b/${rel}`, before, after, undefined, undefined, { context: 3 });
  // The library starts with a line of '=' that is no part of a unified diff.
  return patch.replace(/^=+\n/, '');
}

/** How many findings each rule has, most first, with how many a fix would remove. */
function toStatistics(reports: FileReport[], summary: Summary, quiet: boolean): string {
  const byRule = new Map<string, { count: number; safe: number; unsafe: number }>();
  for (const r of reports) {
    for (const f of r.findings) {
      const e = byRule.get(f.rule) ?? { count: 0, safe: 0, unsafe: 0 };
      e.count++;
      if (f.fix?.safe) e.safe++;
      else if (f.fix || f.suggestions?.length) e.unsafe++;
      byRule.set(f.rule, e);
    }
  }
  const rows = [...byRule].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1));
  const countWidth = Math.max(1, ...rows.map(([, e]) => String(e.count).length));
  const idWidth = Math.max(0, ...rows.map(([id]) => id.length));
  const out = rows.map(([id, e]) => {
    const notes = [e.safe ? `${e.safe} fixable [*]` : '', e.unsafe ? `${e.unsafe} with --unsafe-fixes` : ''].filter(Boolean).join(', ');
    return `${String(e.count).padStart(countWidth)}  ${notes ? id.padEnd(idWidth) : id}${notes ? `  ${notes}` : ''}`;
  });
  if (!quiet) out.push(summary.findings === 0 ? `No findings in ${plural(summary.files, 'file')}.` : `${plural(summary.findings, 'finding')} in ${plural(summary.files, 'file')}.`);
  return out.length ? `${out.join('\n')}\n` : '';
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function useColor(outputFile: string | undefined): boolean {
  return !outputFile && !!process.stdout.isTTY && !process.env.NO_COLOR;
}

/** 1-based line and UTF-16 column. */
function pos(p: { line: number; character: number }) {
  return { line: p.line + 1, column: p.character + 1 };
}

function jsonFinding(file: string, f: Finding) {
  return {
    path: file,
    rule: f.rule,
    family: f.family,
    anchors: f.anchors,
    severity: f.severity,
    message: f.message,
    range: { start: pos(f.range.start), end: pos(f.range.end) },
    fix: f.fix
      ? {
          title: f.fix.title,
          safe: f.fix.safe,
          edits: f.fix.edits.map((e) => ({ range: { start: pos(e.range.start), end: pos(e.range.end) }, newText: e.newText })),
        }
      : null,
  };
}

function toJson(reports: FileReport[], summary: Summary) {
  return {
    version: 1,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    summary,
    findings: reports.flatMap((r) => r.findings.map((f) => jsonFinding(r.path, f))),
  };
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

function sarifRule(rule: Rule) {
  return {
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.docs.summary },
    fullDescription: { text: `${rule.docs.what}\n\n${rule.docs.why}` },
    helpUri: ruleDocUrl(rule.id),
    help: { text: rule.docs.why, markdown: `${rule.docs.why}\n\n[Documentation](${ruleDocUrl(rule.id)})` },
    defaultConfiguration: { level: SARIF_LEVEL[rule.defaultSeverity], enabled: !rule.optIn },
    properties: { family: rule.family, anchors: rule.anchors, languages: rule.languages, fixable: rule.fixable, tags: [rule.family, ...rule.anchors] },
  };
}

/** A relative path as a URI reference (each segment percent-encoded, so `#` and `?` survive). */
function relativeUri(rel: string): string {
  return rel.split('/').map(encodeURIComponent).join('/');
}

function toSarif(engine: Engine, reports: FileReport[], skipped: readonly SkippedPath[], failures: readonly string[], cwd: string) {
  const rules = engine.rules;
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const region = (r: Finding['range']) => ({
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  });
  const artifact = (rel: string) => ({ uri: relativeUri(rel), uriBaseId: '%SRCROOT%' });
  let srcRoot = pathToFileURL(cwd).href;
  if (!srcRoot.endsWith('/')) srcRoot += '/';
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: TOOL_VERSION,
            semanticVersion: TOOL_VERSION,
            informationUri: 'https://github.com/asyncsense/asyncsense',
            rules: rules.map(sarifRule),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: srcRoot } },
        invocations: [
          {
            executionSuccessful: failures.length === 0,
            toolExecutionNotifications: [
              ...skipped.map((s) => ({
                level: 'note',
                message: { text: `skipped: ${s.reason}` },
                locations: [{ physicalLocation: { artifactLocation: artifact(s.path) } }],
              })),
              ...failures.map((f) => ({ level: 'error', message: { text: `internal error: ${f}` } })),
            ],
          },
        ],
        results: reports.flatMap((r) =>
          r.findings.map((f) => ({
            ruleId: f.rule,
            ruleIndex: index.get(f.rule) ?? -1,
            level: SARIF_LEVEL[f.severity],
            message: { text: f.message },
            locations: [{ physicalLocation: { artifactLocation: artifact(r.path), region: region(f.range) } }],
            ...(f.fix
              ? {
                  fixes: [
                    {
                      description: { text: f.fix.title },
                      artifactChanges: [
                        {
                          artifactLocation: artifact(r.path),
                          replacements: f.fix.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
                        },
                      ],
                    },
                  ],
                }
              : {}),
            properties: { family: f.family, anchors: f.anchors, safeFix: f.fix ? f.fix.safe : null },
          })),
        ),
      },
    ],
  };
}

/** Escaping of GitHub workflow commands: the message ("data")... */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** ...and property values, where `:` and `,` are separators. */
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function toGithub(reports: FileReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    for (const f of r.findings) {
      const kind = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
      const props = [
        `file=${escapeProperty(r.path)}`,
        `line=${f.range.start.line + 1}`,
        `col=${f.range.start.character + 1}`,
        `endLine=${f.range.end.line + 1}`,
        `endColumn=${f.range.end.character + 1}`,
        `title=${escapeProperty(`${TOOL_NAME}(${f.rule})`)}`,
      ].join(',');
      lines.push(`::${kind} ${props}::${escapeData(f.message)}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

const GITLAB_SEVERITY: Record<Severity, 'critical' | 'major' | 'minor' | 'info'> = { error: 'critical', warning: 'major', info: 'minor', hint: 'info' };

/**
 * A GitLab Code Quality report. Each fingerprint hashes the path, the rule, the message and the
 * finding's rank among identical ones, not its line: a finding keeps its identity when code
 * above it moves, so merge requests show only what they add or remove.
 */
function toGitlab(reports: FileReport[]) {
  const seen = new Map<string, number>();
  return reports.flatMap((r) =>
    r.findings.map((f) => {
      const key = `${r.path}\0${f.rule}\0${f.message}`;
      const rank = seen.get(key) ?? 0;
      seen.set(key, rank + 1);
      return {
        description: f.message,
        check_name: f.rule,
        fingerprint: createHash('sha256').update(`${key}\0${rank}`).digest('hex'),
        severity: GITLAB_SEVERITY[f.severity],
        location: { path: r.path, lines: { begin: f.range.start.line + 1, end: f.range.end.line + 1 } },
      };
    }),
  );
}

function toText(reports: FileReport[], summary: Summary, opts: { color: boolean; quiet: boolean; fix: boolean }): string {
  const c = (code: string, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sevColor: Record<Severity, string> = { error: '31', warning: '33', info: '36', hint: '2' };
  const out: string[] = [];
  let fixable = 0;
  let unsafe = 0;
  for (const r of reports) {
    for (const f of r.findings) {
      const start = pos(f.range.start);
      if (f.fix?.safe) fixable++;
      else if (f.fix || f.suggestions?.length) unsafe++;
      out.push(
        `${c('1', r.path)}:${start.line}:${start.column}: ${c(sevColor[f.severity], f.severity)} ${c('2', `[${f.rule}]`)} ${f.message}${f.fix?.safe ? c('32', ' [*]') : ''}`,
      );
    }
  }
  if (!opts.quiet) {
    const files = plural(summary.files, 'file');
    if (summary.findings === 0) out.push(`No findings in ${files}.`);
    else {
      const notes: string[] = [];
      if (fixable) notes.push(`${fixable} fixable with --fix, marked [*]`);
      if (unsafe) notes.push(`${unsafe} more with --fix --unsafe-fixes`);
      out.push(`${plural(summary.findings, 'finding')} in ${files}${notes.length ? ` (${notes.join('; ')})` : ''}.`);
    }
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

function rules(format: string, io: Io): number {
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format '${format}' (text, json)`);
  // Rule metadata does not need the parsers: no engine initialisation here.
  const list = allRules.map((r) => ({
    id: r.id,
    family: r.family,
    languages: r.languages,
    defaultSeverity: r.defaultSeverity,
    anchors: r.anchors,
    fixable: r.fixable,
    optIn: r.optIn ?? false,
    summary: r.docs.summary,
    docUrl: ruleDocUrl(r.id),
  }));
  if (format === 'json') {
    io.out(`${JSON.stringify({ version: 1, tool: { name: TOOL_NAME, version: TOOL_VERSION }, rules: list }, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...list.map((r) => r.id.length));
  for (const r of list) {
    const flags = [r.defaultSeverity, r.fixable !== 'none' ? `fix: ${r.fixable}` : '', r.optIn ? 'opt-in' : ''].filter(Boolean).join(', ');
    io.out(`${r.id.padEnd(width)}  ${r.family.padEnd(12)} ${r.languages.join(',').padEnd(17)} ${r.summary} (${flags})${r.anchors.length ? ` [${r.anchors.join(', ')}]` : ''}\n`);
  }
  return 0;
}

/**
 * Writes a fixed file atomically (a temporary file beside it, then a rename), never through a
 * symbolic link that leads out of `root`. Returns why it was not written, if it was not.
 */
function writeFixed(file: string, data: Buffer, root: string): string | undefined {
  try {
    const real = fs.realpathSync(file);
    const rootReal = fs.realpathSync(root);
    const inside = real === rootReal || real.startsWith(rootReal + path.sep);
    if (real !== path.resolve(file) && !inside) return 'not fixed: a symbolic link that leads out of the project';
    const tmp = path.join(path.dirname(real), `.${path.basename(real)}.asyncsense-${process.pid}.tmp`);
    try {
      fs.writeFileSync(tmp, data, { mode: fs.statSync(real).mode });
      fs.renameSync(tmp, real);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw e;
    }
    return undefined;
  } catch (e) {
    return `not fixed: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
}
