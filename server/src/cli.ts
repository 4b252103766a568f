/**
 * The CLI twin of the language server: the same engine, findings and fixes, for CI.
 *
 *   asyncsense check [PATH...] [--format text|json|sarif|github] [--fix [--unsafe-fixes]]
 *                    [--select ids] [--ignore ids] [--config FILE]
 *   asyncsense rules [--format text|json]
 *   asyncsense server --stdio
 *
 * Exit codes: 0 no findings, 1 findings, 2 usage, configuration or internal error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { TOOL_NAME, TOOL_VERSION, createEngine, ruleDocUrl } from './analyzer';
import { ConfigResolver, type ConfigProblem, type ResolvedConfig } from './engine/config';
import type { Engine } from './engine/engine';
import { fixText } from './engine/fixes';
import type { Finding, Rule, Severity } from './engine/types';
import { walkFiles } from './engine/walker';
import { allRules } from './rules';

const HELP = `Usage: asyncsense <command> [options]

Commands:
  check [PATH...]     Analyse files and folders (default: the current folder)
  rules               List every rule
  server --stdio      Start the language server (for any LSP editor)

Options for check:
  --format FORMAT     text (default), json, sarif or github
  --fix               Apply safe fixes and report what is left
  --unsafe-fixes      With --fix, also apply suggestions
  --select IDS        Run only these rules (comma-separated ids, or "all")
  --ignore IDS        Do not run these rules (comma-separated ids)
  --config FILE       Use this configuration file for every file
  --output FILE       Write the report to FILE instead of standard output

Options for rules:
  --format FORMAT     text (default) or json

  -h, --help          Show this help
  -v, --version       Show the version

Exit codes: 0 no findings, 1 findings, 2 usage, configuration or internal error.
`;

class UsageError extends Error {}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

interface FileReport {
  path: string;
  findings: Finding[];
}

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`asyncsense: ${e.message}\nRun 'asyncsense --help' for usage.\n`);
      return 2;
    }
    const detail = process.env.ASYNCSENSE_DEBUG ? `\n${(e as Error).stack ?? ''}` : '';
    io.err(`asyncsense: internal error: ${(e as Error).message}${detail}\n`);
    return 2;
  }
}

function defaultIo(): Io {
  return { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
}

async function run(argv: string[], io: Io): Promise<number> {
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
        stdio: { type: 'boolean' },
        'node-ipc': { type: 'boolean' },
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
  if (values.help || !command) {
    io.out(HELP);
    return values.help ? 0 : 2;
  }
  switch (command) {
    case 'check':
      return check(rest, values, io);
    case 'rules':
      return rules(values.format ?? 'text', io);
    case 'server': {
      if (!values.stdio && !values['node-ipc']) throw new UsageError("'server' needs --stdio");
      const { startServer } = await import('./server');
      startServer();
      return new Promise<number>(() => undefined);
    }
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

function splitIds(value: string | undefined, engine: Engine, option: string): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value.split(',').map((s) => s.trim()).filter(Boolean);
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
}

async function check(paths: string[], options: CheckOptions, io: Io): Promise<number> {
  const format = options.format ?? 'text';
  if (!['text', 'json', 'sarif', 'github'].includes(format)) throw new UsageError(`unknown format '${format}' (text, json, sarif, github)`);
  if (options['unsafe-fixes'] && !options.fix) throw new UsageError('--unsafe-fixes needs --fix');
  const started = Date.now();
  const cwd = process.cwd();
  const engine = await createEngine();
  const select = splitIds(options.select, engine, '--select');
  const ignoreIds = splitIds(options.ignore, engine, '--ignore');
  const resolver = new ConfigResolver(engine.ruleIds, cwd, options.config ? path.resolve(cwd, options.config) : undefined);

  const walked = walkFiles(paths, { cwd, extensions: engine.extensions, resolver });
  const problems = new Map<string, ConfigProblem>();
  const skipped = walked.skipped.slice();
  const reports: FileReport[] = [];
  let fixed = 0;
  const relPath = (p: string) => path.relative(cwd, p).split(path.sep).join('/');

  const configs: { file: string; config: ResolvedConfig }[] = [];
  for (const file of walked.files) {
    const loaded = resolver.forFile(file);
    for (const p of loaded.problems) problems.set(`${p.file}\0${p.key ?? ''}\0${p.message}`, p);
    configs.push({ file, config: loaded.config });
  }
  if (options.config && walked.files.length === 0) {
    for (const p of resolver.forDirectory(cwd).problems) problems.set(`${p.file}\0${p.key ?? ''}\0${p.message}`, p);
  }
  if (problems.size > 0) {
    for (const p of problems.values()) {
      io.err(`asyncsense: invalid configuration in ${relPath(p.file) || p.file}${p.key ? ` (key '${p.key}')` : ''}: ${p.message}\n`);
    }
    return 2;
  }

  for (const { file, config: base } of configs) {
    const config: ResolvedConfig = {
      ...base,
      select: select ?? base.select,
      ignore: ignoreIds ?? base.ignore,
      extendSelect: select ? [] : base.extendSelect,
    };
    const rel = relPath(file);
    let bytes: Buffer;
    try {
      const stat = fs.statSync(file);
      if (stat.size > config.maxFileSize) {
        skipped.push({ path: rel, reason: `file over ${formatMb(config.maxFileSize)}` });
        continue;
      }
      bytes = fs.readFileSync(file);
    } catch (e) {
      skipped.push({ path: rel, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      continue;
    }
    const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bom ? bytes.subarray(3) : bytes);
    } catch {
      skipped.push({ path: rel, reason: bytes.includes(0) ? 'binary file (contains NUL bytes)' : 'not valid UTF-8' });
      continue;
    }
    let findings: Finding[];
    if (options.fix) {
      const result = fixText(engine, { filePath: file, text }, config, { unsafe: options['unsafe-fixes'] });
      if (result.applied > 0 && result.text !== text) {
        try {
          fs.writeFileSync(file, bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(result.text, 'utf8')]) : result.text);
          fixed += result.applied;
        } catch (e) {
          io.err(`asyncsense: cannot write ${rel}: ${(e as Error).message}\n`);
        }
      }
      findings = result.remaining;
    } else {
      const result = engine.analyze({ filePath: file, text }, config);
      if (result.skipped) {
        skipped.push({ path: rel, reason: result.skipped });
        continue;
      }
      findings = result.findings;
    }
    reports.push({ path: rel, findings });
  }

  const total = reports.reduce((n, r) => n + r.findings.length, 0);
  const summary = { files: reports.length, findings: total, durationMs: Date.now() - started, skipped, ...(options.fix ? { fixed } : {}) };
  let output: string;
  switch (format) {
    case 'json':
      output = `${JSON.stringify(toJson(reports, summary), null, 2)}\n`;
      break;
    case 'sarif':
      output = `${JSON.stringify(toSarif(engine, reports), null, 2)}\n`;
      break;
    case 'github':
      output = toGithub(reports);
      break;
    default:
      output = toText(reports, summary, useColor(options.output));
  }
  if (options.output) fs.writeFileSync(path.resolve(cwd, options.output), output);
  else io.out(output);
  if (format !== 'text') {
    for (const s of skipped) io.err(`asyncsense: skipped ${s.path}: ${s.reason}\n`);
    if (options.fix) io.err(`asyncsense: applied ${fixed} fix${fixed === 1 ? '' : 'es'}\n`);
  }
  return total > 0 ? 1 : 0;
}

function formatMb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${+(bytes / 1024).toFixed(1)} KB` : `${bytes} B`;
}

function useColor(outputFile: string | undefined): boolean {
  return !outputFile && !!process.stdout.isTTY && !process.env.NO_COLOR;
}

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

function toJson(reports: FileReport[], summary: object) {
  return {
    version: 1,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    summary,
    findings: reports.flatMap((r) => r.findings.map((f) => jsonFinding(r.path, f))),
  };
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

function sarifRule(rule: Rule) {
  return {
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.docs.summary },
    fullDescription: { text: `${rule.docs.what}\n\n${rule.docs.why}` },
    helpUri: ruleDocUrl(rule.id),
    help: { text: rule.docs.why, markdown: `${rule.docs.why}\n\n[Documentation](${ruleDocUrl(rule.id)})` },
    defaultConfiguration: { level: SARIF_LEVEL[rule.defaultSeverity], enabled: !rule.optIn },
    properties: { family: rule.family, anchors: rule.anchors, languages: rule.languages, tags: [rule.family, ...rule.anchors] },
  };
}

function toSarif(engine: Engine, reports: FileReport[]) {
  const rules = engine.rules;
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const region = (r: Finding['range']) => ({
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  });
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
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToUri(process.cwd())}/` } },
        results: reports.flatMap((r) =>
          r.findings.map((f) => ({
            ruleId: f.rule,
            ruleIndex: index.get(f.rule) ?? -1,
            level: SARIF_LEVEL[f.severity],
            message: { text: f.message },
            locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(r.path), uriBaseId: '%SRCROOT%' }, region: region(f.range) } }],
            ...(f.fix
              ? {
                  fixes: [
                    {
                      description: { text: f.fix.title },
                      artifactChanges: [
                        {
                          artifactLocation: { uri: encodeURI(r.path), uriBaseId: '%SRCROOT%' },
                          replacements: f.fix.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
                        },
                      ],
                    },
                  ],
                }
              : {}),
            properties: { family: f.family, anchors: f.anchors, safeFix: f.fix?.safe ?? null },
          })),
        ),
      },
    ],
  };
}

function pathToUri(p: string): string {
  const normalized = p.split(path.sep).join('/');
  return `file://${normalized.startsWith('/') ? '' : '/'}${encodeURI(normalized)}`;
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

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
        `title=${escapeProperty(`asyncsense(${f.rule})`)}`,
      ].join(',');
      lines.push(`::${kind} ${props}::${escapeData(f.message)}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function toText(reports: FileReport[], summary: { files: number; findings: number; skipped: { path: string; reason: string }[]; fixed?: number }, color: boolean): string {
  const c = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sevColor: Record<Severity, string> = { error: '31', warning: '33', info: '36', hint: '2' };
  const out: string[] = [];
  let fixable = 0;
  for (const r of reports) {
    for (const f of r.findings) {
      const start = pos(f.range.start);
      if (f.fix?.safe) fixable++;
      out.push(
        `${c('1', r.path)}:${start.line}:${start.column}: ${c(sevColor[f.severity], f.severity)} ${c('2', `[${f.rule}]`)} ${f.message}${f.fix?.safe ? c('32', ' [*]') : ''}`,
      );
    }
  }
  for (const s of summary.skipped) out.push(c('2', `note: skipped ${s.path}: ${s.reason}`));
  const files = `${summary.files} file${summary.files === 1 ? '' : 's'}`;
  if (summary.fixed !== undefined) out.push(`Applied ${summary.fixed} fix${summary.fixed === 1 ? '' : 'es'}.`);
  if (summary.findings === 0) out.push(`No findings in ${files}.`);
  else {
    out.push(
      `${summary.findings} finding${summary.findings === 1 ? '' : 's'} in ${files}${fixable ? ` (${fixable} fixable with --fix, marked [*])` : ''}.`,
    );
  }
  return `${out.join('\n')}\n`;
}

function rules(format: string, io: Io): number {
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format '${format}' (text, json)`);
  // Rule metadata does not need the parsers: no engine initialisation here.
  const list = allRules.map((r) => ({
    id: r.id,
    family: r.family,
    languages: r.languages,
    defaultSeverity: r.defaultSeverity,
    optIn: r.optIn ?? false,
    anchors: r.anchors,
    fixable: r.fixable,
    summary: r.docs.summary,
    docUrl: ruleDocUrl(r.id),
  }));
  if (format === 'json') io.out(`${JSON.stringify({ version: 1, tool: { name: TOOL_NAME, version: TOOL_VERSION }, rules: list }, null, 2)}\n`);
  else {
    const width = Math.max(...list.map((r) => r.id.length));
    for (const r of list) io.out(`${r.id.padEnd(width)}  ${r.family.padEnd(12)} ${r.languages.join(',').padEnd(17)} ${r.optIn ? '(opt-in) ' : ''}${r.summary}\n`);
  }
  return 0;
}
