// `npm run bench`: speed, memory and scaling of AsyncSense, side by side with ruff (wasm, ASYNC +
// RUF006 + RUF029, preview) for Python and ESLint + typescript-eslint (typed no-floating-promises
// and no-misused-promises) for TypeScript, in the same run, on the same files. Prints a table and
// writes bench/results.json. Nothing is installed or downloaded at run time.
//
//   node bench/run.mjs [--sizes 1000,10000,100000] [--edits 200] [--corpus PATH] [--quick]
//                      [--only scan,memory,cli,edits,cold,activation]
// BENCH_FLAGS='--some-v8-flag' passes Node/V8 flags to the language servers it starts.
import { spawn, spawnSync } from 'node:child_process';
import { promises as fs, existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bigFile, generateCorpus } from './corpus.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
// The shipped CLI bundle, in-process (as the CLI and the language server run it).
const { createEngine, ConfigResolver, walkFiles, analyzeTasks, jobsFor } = require(path.join(root, 'server/out/cli.js'));
const rpc = require('vscode-languageserver-protocol/node');

const USAGE = `usage: node bench/run.mjs [--sizes 1000,10000,100000] [--edits 200] [--corpus PATH] [--quick]
                         [--only scan,memory,cli,edits,cold,activation]`;
const args = process.argv.slice(2);
const VALUED = new Set(['--sizes', '--edits', '--corpus', '--only']);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--help' || args[i] === '-h') {
    console.log(USAGE);
    process.exit(0);
  }
  if (VALUED.has(args[i]) && args[i + 1] !== undefined && !args[i + 1].startsWith('--')) i++;
  else if (args[i] !== '--quick') {
    console.error(`bench: ${VALUED.has(args[i]) ? `${args[i]} needs a value` : `unknown argument ${args[i]}`}\n${USAGE}`);
    process.exit(2);
  }
}
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const quick = args.includes('--quick');
const sizes = (opt('sizes', quick ? '1000,10000' : '1000,10000,100000')).split(',').map(Number);
const editCount = Number(opt('edits', quick ? 50 : 200));
const corpusArg = opt('corpus', undefined);
const cacheDir = path.join(root, '.bench-cache');
const only = opt('only', undefined)?.split(',');
const SECTIONS = ['scan', 'memory', 'cli', 'edits', 'cold', 'activation'];
const unknownSection = only?.find((s) => !SECTIONS.includes(s));
if (unknownSection) {
  console.error(`bench: unknown section ${unknownSection} (sections: ${SECTIONS.join(', ')})`);
  process.exit(2);
}
const want = (section) => !only || only.includes(section);

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { min: s[0], p50: q(0.5), p95: q(0.95), runs: s.length };
};
const ms = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const ratio = (a, b) => (b > 0 ? +(a / b).toFixed(2) : null);

async function time(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function repeat(n, fn) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await time(fn));
  return stats(out);
}

// ---------------------------------------------------------------- tools under test
/**
 * A scanner that analyses with a fresh engine each run (created before the clock starts), so a
 * scan pays for its project index and TypeScript program like a CLI run or a newly opened
 * workspace does, as ESLint (a new instance per run) and ruff do.
 */
async function asyncsenseScanner() {
  return async (files) => {
    const engine = await createEngine();
    const resolver = new ConfigResolver(engine.ruleIds, root);
    const t = performance.now();
    for (const f of engine.prepareFiles(files)) engine.analyze({ filePath: f, text: readFileSync(f, 'utf8') }, resolver.forFile(f).config);
    return performance.now() - t;
  };
}

/**
 * The scan as `asyncsense check --jobs N` runs it, N the machine's cores: the calling thread and
 * N-1 worker threads, each with its own engine (see server/src/scanPool.ts). The workers start
 * inside the clock (their engines, programs and indexes are part of the scan); the calling
 * thread's engine is made before it, as above.
 */
async function asyncsenseThreadedScanner() {
  const scan = async (files) => {
    const engine = await createEngine();
    const resolver = new ConfigResolver(engine.ruleIds, root);
    const t = performance.now();
    const order = engine.prepareFiles(files);
    const tasks = order.map((file) => ({ file, config: resolver.forFile(file).config }));
    const jobs = jobsFor(tasks, os.availableParallelism?.() ?? os.cpus().length);
    const outcomes = await analyzeTasks(engine, order, tasks, jobs, (m) => process.stderr.write(`bench: ${m}\n`));
    if (outcomes.length !== files.length) throw new Error('bench: a threaded scan lost files');
    scan.jobs = jobs;
    return performance.now() - t;
  };
  return scan;
}

/** Like repeat(), for functions that time themselves (set-up outside the clock). */
async function repeatTimed(n, fn) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return stats(out);
}

function ruffScanner() {
  const ruff = require('@astral-sh/ruff-wasm-nodejs');
  const ws = new ruff.Workspace({ lint: { select: ['ASYNC', 'RUF006', 'RUF029'], preview: true } }, ruff.PositionEncoding.Utf16);
  return {
    version: ruff.Workspace.version(),
    scan: (files) => files.reduce((n, f) => n + ws.check(readFileSync(f, 'utf8')).length, 0),
    check: (text) => ws.check(text).length,
  };
}

async function eslintTyped(cwd) {
  const { ESLint } = require('eslint');
  const tseslint = require('typescript-eslint');
  return new ESLint({
    cwd,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: cwd } },
        plugins: { '@typescript-eslint': tseslint.plugin },
        rules: { '@typescript-eslint/no-floating-promises': 'warn', '@typescript-eslint/no-misused-promises': 'warn' },
      },
    ],
  });
}

// ---------------------------------------------------------------- whole-process CLIs
/** Wall time of a whole process (start, load, analyse, report), p50 over `runs`. */
async function processTime(runs, cmd, args, cwd) {
  return repeat(runs, () => {
    const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0 && r.status !== 1) throw new Error(`${path.basename(args[0] ?? cmd)} exited with ${r.status}: ${r.stderr?.slice(0, 500)}`);
  });
}

/**
 * CLI vs CLI: `asyncsense check` against the `eslint` CLI (typed, projectService) on the TS
 * corpus, and against ruff-wasm run by a Node script on the Python corpus (npm has no native
 * ruff binary; the wasm build is what a Node toolchain gets).
 */
async function measureClis(c, runs) {
  const cli = path.join(root, 'bin/asyncsense.js');
  const eslintConfig = path.join(c.files.tsDir, 'eslint.bench.config.mjs');
  await fs.writeFile(
    eslintConfig,
    [
      `import tseslint from ${JSON.stringify(require.resolve('typescript-eslint'))};`,
      'export default [{',
      "  files: ['**/*.ts'],",
      `  languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: ${JSON.stringify(c.files.tsDir)} } },`,
      "  plugins: { '@typescript-eslint': tseslint.plugin },",
      "  rules: { '@typescript-eslint/no-floating-promises': 'warn', '@typescript-eslint/no-misused-promises': 'warn' },",
      '}];',
    ].join('\n'),
  );
  const ruffCli = path.join(cacheDir, 'ruff-cli.cjs');
  await fs.writeFile(
    ruffCli,
    [
      `const ruff = require(${JSON.stringify(require.resolve('@astral-sh/ruff-wasm-nodejs'))});`,
      "const fs = require('fs'); const path = require('path');",
      "const ws = new ruff.Workspace({ lint: { select: ['ASYNC', 'RUF006', 'RUF029'], preview: true } }, ruff.PositionEncoding.Utf16);",
      'const files = []; (function walk(d) { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (p.endsWith(".py")) files.push(p); } })(process.argv[2]);',
      'let n = 0; for (const f of files) n += ws.check(fs.readFileSync(f, "utf8")).length;',
      'console.log(JSON.stringify({ files: files.length, findings: n }));',
    ].join('\n'),
  );
  const pyDir = path.dirname(c.files.tsDir) + '/py';
  const python = {
    asyncsense: await processTime(runs, process.execPath, [cli, 'check', '--format', 'json', '--output', '/dev/null', pyDir], root),
    ruffWasmProcess: await processTime(runs, process.execPath, [ruffCli, pyDir], root),
  };
  python.ratio = ratio(python.asyncsense.p50, python.ruffWasmProcess.p50);
  const typescript = {
    asyncsense: await processTime(runs, process.execPath, [cli, 'check', '--format', 'json', '--output', '/dev/null', 'src'], c.files.tsDir),
    eslint: await processTime(runs, process.execPath, [path.join(root, 'node_modules/eslint/bin/eslint.js'), '-c', eslintConfig, '--format', 'json', '-o', '/dev/null', 'src'], c.files.tsDir),
  };
  typescript.ratio = ratio(typescript.asyncsense.p50, typescript.eslint.p50);
  return { label: c.label, python, typescript };
}

// ---------------------------------------------------------------- LSP driver
async function startServer() {
  const proc = spawn(process.execPath, [...(process.env.BENCH_FLAGS ? process.env.BENCH_FLAGS.split(' ') : []), path.join(root, 'server/out/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
  conn.onNotification(() => undefined);
  conn.onRequest(() => null);
  conn.listen();
  return {
    proc,
    conn,
    async initialize(dir) {
      await conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(dir).href,
        workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'bench' }],
        capabilities: { textDocument: { diagnostic: {} } },
      });
      await conn.sendNotification('initialized', {});
    },
    async diagnostics(uri) {
      const r = await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
      return r.items ?? [];
    },
    peakRssMb() {
      try {
        const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
        const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        return +(kb / 1024).toFixed(1);
      } catch {
        return null;
      }
    },
    async stop() {
      try {
        await conn.sendRequest('shutdown');
        await conn.sendNotification('exit');
      } catch {
        // ignore
      }
      proc.kill();
      conn.dispose();
    },
  };
}

// ---------------------------------------------------------------- measures
async function measureScan(label, files, runs, scanners) {
  const row = { label, files: files.py.length + files.ts.length };
  row.pyLines = files.pyLines;
  row.tsLines = files.tsLines;
  const py = await repeatTimed(runs, () => scanners.asyncsense(files.py));
  const ruff = await repeat(runs, () => scanners.ruff.scan(files.py));
  const ts = await repeatTimed(runs, () => scanners.asyncsense(files.ts));
  const pyThreads = await repeatTimed(runs, () => scanners.threaded(files.py));
  const pyJobs = scanners.threaded.jobs;
  const tsThreads = await repeatTimed(runs, () => scanners.threaded(files.ts));
  const tsJobs = scanners.threaded.jobs;
  row.python = {
    asyncsense: py,
    ruff,
    ratio: ratio(py.p50, ruff.p50),
    asyncsenseLinesPerSec: Math.round(files.pyLines / (py.p50 / 1000)),
    threaded: { jobs: pyJobs, ...pyThreads, ratio: ratio(pyThreads.p50, ruff.p50) },
  };
  // ESLint typed builds a program per run: fewer runs on the largest corpora.
  const eslintRuns = files.tsLines > 50_000 ? 1 : Math.min(runs, 3);
  const eslint = await repeat(eslintRuns, async () => {
    const e = await eslintTyped(files.tsDir);
    await e.lintFiles(['src/**/*.ts']);
  });
  row.typescript = {
    asyncsense: ts,
    eslintTyped: eslint,
    ratio: ratio(ts.p50, eslint.p50),
    asyncsenseLinesPerSec: Math.round(files.tsLines / (ts.p50 / 1000)),
    threaded: { jobs: tsJobs, ...tsThreads, ratio: ratio(tsThreads.p50, eslint.p50) },
  };
  return row;
}

const WARM = 20;
const WARM_MS = 2_000;

/**
 * `kind` 'comment' appends a comment to a line (the edit the ratios use); 'string' types a letter
 * inside a string literal on (or after) that line: the code stays valid, as in most typing.
 */
async function measureEdits(language, dir, kind = 'comment') {
  const text = bigFile(language, 2000);
  const file = path.join(dir, language === 'python' ? 'big_module.py' : 'src/big_module.ts');
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
  const uri = pathToFileURL(file).href;
  const lines = text.split('\n');
  /** Edit k: one line of the original text changed. */
  const lineEdit = (k) => {
    let line = 10 + ((k * 37) % (lines.length - 20));
    if (kind === 'string') {
      while (!/["'](?=[A-Za-z])/.test(lines[line])) line = (line + 1) % lines.length;
      return { line, text: lines[line].replace(/(["'])(?=[A-Za-z])/, (q) => `${q}${'xyz'[k % 3]}`) };
    }
    return { line, text: `${lines[line]}${language === 'python' ? '  # edit' : ' // edit'} ${k}` };
  };
  const edited = (k) => {
    const copy = lines.slice();
    const { line, text: changed } = lineEdit(k);
    copy[line] = changed;
    return copy.join('\n');
  };
  const server = await startServer();
  await server.initialize(dir);
  await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: language, version: 1, text } });
  await server.diagnostics(uri);
  // Each version is the original text with edit k's line changed. It reaches the server as an
  // editor sends it (the server asks for incremental sync): the previous edit's line restored,
  // this edit's line replaced.
  const current = lines.slice();
  const lineRange = (line) => ({ start: { line, character: 0 }, end: { line, character: current[line].length } });
  const changesFor = (k) => {
    const { line, text: changed } = lineEdit(k);
    const changes = [];
    for (let l = 0; l < current.length; l++) {
      if (l !== line && current[l] !== lines[l]) {
        changes.push({ range: lineRange(l), text: lines[l] });
        current[l] = lines[l];
      }
    }
    changes.push({ range: lineRange(line), text: changed });
    current[line] = changed;
    return changes;
  };
  // Every tool gets the same warm-up (JIT, WebAssembly tier-up) before the clock starts: at
  // least WARM edits and WARM_MS of them.
  const warm = async (edit) => {
    const until = performance.now() + WARM_MS;
    for (let k = 0; k < WARM || performance.now() < until; k++) await edit(editCount + (k % WARM));
  };
  let version = 1;
  await warm(async (k) => {
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: changesFor(k) });
    await server.diagnostics(uri);
  });
  const lsp = [];
  let last;
  for (let k = 0; k < editCount; k++) {
    const changes = changesFor(k);
    const t = performance.now();
    await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: changes });
    last = await server.diagnostics(uri);
    lsp.push(performance.now() - t);
  }
  // The server's text is the one meant: the whole text sent at once gives the same report.
  await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text: edited(editCount - 1) }] });
  const whole = await server.diagnostics(uri);
  if (JSON.stringify(whole.map((d) => [d.range, d.message])) !== JSON.stringify(last.map((d) => [d.range, d.message]))) {
    throw new Error(`${language} edits: the incremental changes gave another text than meant`);
  }
  await server.stop();
  const result = { lines: lines.length, asyncsense: stats(lsp) };
  if (language === 'python') {
    const ruff = ruffScanner();
    ruff.check(text);
    await warm(async (k) => ruff.check(edited(k)));
    const times = [];
    for (let k = 0; k < editCount; k++) {
      const next = edited(k);
      const t = performance.now();
      ruff.check(next);
      times.push(performance.now() - t);
    }
    result.anchor = { name: 'ruff-wasm re-lint', ...stats(times) };
  } else {
    const eslint = await eslintTyped(dir);
    await eslint.lintText(text, { filePath: file });
    await warm((k) => eslint.lintText(edited(k), { filePath: file }));
    const times = [];
    for (let k = 0; k < Math.min(editCount, 50); k++) {
      const next = edited(k);
      const t = performance.now();
      await eslint.lintText(next, { filePath: file });
      times.push(performance.now() - t);
    }
    result.anchor = { name: 'ESLint lintText, typed, warm', ...stats(times) };
  }
  result.ratio = ratio(result.asyncsense.p50, result.anchor.p50);
  return result;
}

async function measureColdStart(dir) {
  const out = {};
  for (const [language, name] of [['python', 'cold.py'], ['typescript', 'src/cold.ts']]) {
    const file = path.join(dir, name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const text = bigFile(language, 200);
    await fs.writeFile(file, text);
    out[language] = stats((await openInFreshServers(dir, file, language, text)).times);
  }
  return out;
}

/** Three fresh servers, each opening `file`: the time from spawn to its first diagnostics, and each server's peak RSS. */
async function openInFreshServers(dir, file, language, text) {
  const times = [];
  const rss = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const server = await startServer();
    await server.initialize(dir);
    const uri = pathToFileURL(file).href;
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: language, version: 1, text } });
    await server.diagnostics(uri);
    times.push(performance.now() - t);
    rss.push(server.peakRssMb());
    await server.stop();
  }
  return { times, rss };
}

/**
 * Server spawn to first diagnostics for one file opened in a large project (a module halfway
 * through the corpus), and the server's peak RSS then: what a user opening a file of a large
 * checkout waits for. Three fresh servers per language.
 */
async function measureOpenOne(dir, files) {
  const out = {};
  for (const [language, list] of [['python', files.py], ['typescript', files.ts]]) {
    const file = list[Math.floor(list.length / 2)];
    if (!file) continue;
    const { times, rss } = await openInFreshServers(dir, file, language, readFileSync(file, 'utf8'));
    out[language] = { ...stats(times), peakRssMb: Math.max(...rss) };
  }
  return out;
}

/** Peak RSS of a server that has every file of one language open (one server per language). */
async function measureMemory(dir, files) {
  const out = {};
  for (const [language, list] of [['python', files.py], ['typescript', files.ts]]) {
    const server = await startServer();
    await server.initialize(dir);
    for (const f of list) {
      const uri = pathToFileURL(f).href;
      await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: language, version: 1, text: readFileSync(f, 'utf8') } });
      await server.diagnostics(uri);
    }
    out[language] = server.peakRssMb();
    await server.stop();
  }
  return out;
}

/**
 * Extension activation time inside a real VS Code (the E2E harness: code-server's workbench):
 * the activation test records it; runs three fresh workbenches. Unavailable (with the reason)
 * where the E2E set-up cannot run.
 */
function measureActivation() {
  const artifact = path.join(root, 'test/e2e/artifacts/activation.json');
  const activation = [];
  const ready = [];
  for (let i = 0; i < 3; i++) {
    rmSync(artifact, { force: true });
    const r = spawnSync(process.execPath, [path.join(root, 'test/e2e/run.mjs'), '--no-build', '--only', 'a'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ASYNCSENSE_E2E_GREP: 'activates when a Python file opens' },
      timeout: 300_000,
    });
    const skipped = /e2e: skipped: (.*)/.exec(r.stdout ?? '')?.[1];
    if (skipped) return { unavailable: skipped };
    if (!existsSync(artifact)) return { unavailable: `the E2E run did not record it (exit ${r.status})` };
    const t = JSON.parse(readFileSync(artifact, 'utf8'));
    activation.push(t.activationMs);
    ready.push(t.serverReadyMs);
  }
  return { activationMs: stats(activation), serverReadyMs: stats(ready) };
}

// ---------------------------------------------------------------- main
async function main() {
  const started = Date.now();
  const engineScan = await asyncsenseScanner();
  const ruff = ruffScanner();
  const scanners = { asyncsense: engineScan, threaded: await asyncsenseThreadedScanner(), ruff };
  const results = {
    date: new Date().toISOString().slice(0, 10),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.arch()}` },
    tools: { ruff: ruff.version, eslint: require('eslint/package.json').version, typescriptEslint: require('typescript-eslint/package.json').version },
    scan: [],
    cli: [],
    edits: {},
    coldStartMs: {},
    peakRssMb: {},
  };

  const corpora = [];
  if (corpusArg) {
    const abs = path.resolve(corpusArg);
    const engine = await createEngine();
    const walked = walkFiles([abs], { cwd: abs, extensions: engine.extensions, resolver: new ConfigResolver(engine.ruleIds, abs) });
    const py = walked.files.filter((f) => /\.pyi?$/.test(f));
    const ts = walked.files.filter((f) => /\.[cm]?tsx?$/.test(f));
    const count = (list) => list.reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length, 0);
    corpora.push({ label: path.basename(abs), dir: abs, files: { py, ts, pyLines: count(py), tsLines: count(ts), tsDir: abs } });
  } else {
    for (const size of sizes) {
      const dir = path.join(cacheDir, `corpus-${size}`);
      const gen = await generateCorpus(dir, size);
      corpora.push({ label: `${size / 1000}k`, dir, files: { ...gen.files, pyLines: gen.pyLines, tsLines: gen.tsLines, tsDir: path.join(dir, 'ts') } });
    }
  }
  for (const c of corpora) {
    // Three runs at least, so that the p50 is a middle run and not the slower of two.
    const runs = c.files.pyLines > 50_000 ? 3 : 5;
    if (want('scan')) {
      process.stderr.write(`scan ${c.label}...\n`);
      results.scan.push(await measureScan(c.label, c.files, runs, scanners));
    }
    if (want('memory')) {
      process.stderr.write(`memory ${c.label}...\n`);
      results.peakRssMb[c.label] = await measureMemory(c.dir, c.files);
    }
    if (want('cli') && !corpusArg && c.label !== '1k') {
      process.stderr.write(`CLI vs CLI ${c.label}...\n`);
      results.cli.push(await measureClis(c, c.files.pyLines > 50_000 ? 1 : 3));
    }
  }
  const byLabel = Object.fromEntries(results.scan.map((r) => [r.label, r]));
  if (byLabel['100k'] && byLabel['10k']) {
    results.scaling = {
      python: ratio(byLabel['100k'].python.asyncsense.p50, byLabel['10k'].python.asyncsense.p50),
      typescript: ratio(byLabel['100k'].typescript.asyncsense.p50, byLabel['10k'].typescript.asyncsense.p50),
      fastestRuns: {
        python: ratio(byLabel['100k'].python.asyncsense.min, byLabel['10k'].python.asyncsense.min),
        typescript: ratio(byLabel['100k'].typescript.asyncsense.min, byLabel['10k'].typescript.asyncsense.min),
      },
      note: 'time(100k) / time(10k) of the p50 runs (fastestRuns: of the fastest runs); linear is 10',
    };
  }
  const editDir = path.join(cacheDir, 'edits');
  await fs.mkdir(editDir, { recursive: true });
  await fs.writeFile(path.join(editDir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], types: [] }, include: ['src'] }));
  if (want('edits')) {
    process.stderr.write('edits python...\n');
    results.edits.python = await measureEdits('python', editDir);
    process.stderr.write('edits typescript...\n');
    results.edits.typescript = await measureEdits('typescript', editDir);
    process.stderr.write('edits inside strings...\n');
    results.edits['python, typing in a string'] = await measureEdits('python', editDir, 'string');
    results.edits['typescript, typing in a string'] = await measureEdits('typescript', editDir, 'string');
  }
  if (want('cold')) {
    process.stderr.write('cold start...\n');
    results.coldStartMs = await measureColdStart(editDir);
    const largest = corpora.reduce((a, b) => (b.files.tsLines + b.files.pyLines > a.files.tsLines + a.files.pyLines ? b : a), corpora[0]);
    if (largest) results.openOneFile = { label: largest.label, ...(await measureOpenOne(largest.dir, largest.files)) };
  }
  if (want('activation')) {
    process.stderr.write('extension activation (real VS Code)...\n');
    results.activation = measureActivation();
  }
  results.durationSec = Math.round((Date.now() - started) / 1000);

  // A partial run (--only, --corpus) prints its figures but keeps the full run's results file.
  if (!only && !corpusArg) await fs.writeFile(path.join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
}

function printTable(r) {
  const out = [];
  out.push(`AsyncSense bench — ${r.date}, ${r.machine.cpus} cores (${r.machine.model}), Node ${r.machine.node}`);
  out.push(`anchors: ruff-wasm ${r.tools.ruff}, ESLint ${r.tools.eslint} + typescript-eslint ${r.tools.typescriptEslint}`);
  out.push('');
  out.push('Workspace scan (in-process, one thread, a fresh engine / ESLint instance per run, p50 ms; ratio = AsyncSense / anchor, lower is better)');
  out.push('corpus  files  | py lines  AsyncSense  ruff-wasm  ratio   lines/s   | ts lines  AsyncSense  ESLint-typed  ratio   lines/s');
  for (const s of r.scan) {
    out.push(
      `${s.label.padEnd(7)} ${String(s.files).padStart(5)}  | ${String(s.pyLines).padStart(8)}  ${ms(s.python.asyncsense.p50).padStart(10)}  ${ms(s.python.ruff.p50).padStart(9)}  ${String(s.python.ratio).padStart(5)}  ${String(s.python.asyncsenseLinesPerSec).padStart(8)}   | ${String(s.tsLines).padStart(8)}  ${ms(s.typescript.asyncsense.p50).padStart(10)}  ${ms(s.typescript.eslintTyped.p50).padStart(12)}  ${String(s.typescript.ratio).padStart(5)}  ${String(s.typescript.asyncsenseLinesPerSec).padStart(8)}`,
    );
  }
  out.push(
    `on all cores (asyncsense check --jobs N), p50 ms: ${r.scan
      .filter((s) => s.python.threaded)
      .map((s) => `${s.label} py ${ms(s.python.threaded.p50)} on ${s.python.threaded.jobs} (ratio ${s.python.threaded.ratio}), ts ${ms(s.typescript.threaded.p50)} on ${s.typescript.threaded.jobs} (ratio ${s.typescript.threaded.ratio})`)
      .join('; ')}`,
  );
  out.push(
    `fastest runs (AsyncSense py / ts): ${r.scan.map((s) => `${s.label} ${ms(s.python.asyncsense.min)} / ${ms(s.typescript.asyncsense.min)} of ${s.python.asyncsense.runs}`).join(', ')}`,
  );
  if (r.scaling) {
    const fastest = r.scaling.fastestRuns ? `; fastest runs: python ${r.scaling.fastestRuns.python}, typescript ${r.scaling.fastestRuns.typescript}` : '';
    out.push(`scaling time(100k)/time(10k): python ${r.scaling.python}, typescript ${r.scaling.typescript}${fastest} (linear = 10)`);
  }
  if (r.cli?.length) {
    out.push('');
    out.push('CLI vs CLI, whole process (p50 ms): asyncsense check vs ruff-wasm in a Node process (.py) / eslint CLI typed (.ts)');
    for (const c of r.cli) {
      out.push(
        `${c.label.padEnd(7)} py ${ms(c.python.asyncsense.p50)} vs ${ms(c.python.ruffWasmProcess.p50)} (ratio ${c.python.ratio}) | ts ${ms(c.typescript.asyncsense.p50)} vs ${ms(c.typescript.eslint.p50)} (ratio ${c.typescript.ratio})`,
      );
    }
  }
  out.push('');
  out.push('Per-edit latency, 2,000-line file, one-line edits (ms)');
  for (const [lang, e] of Object.entries(r.edits)) {
    out.push(
      `${lang.padEnd(30)} AsyncSense over LSP p50 ${ms(e.asyncsense.p50)} p95 ${ms(e.asyncsense.p95)} (${e.asyncsense.runs} edits) | ${e.anchor.name} p50 ${ms(e.anchor.p50)} p95 ${ms(e.anchor.p95)} | ratio ${e.ratio}`,
    );
  }
  out.push('');
  if (r.coldStartMs.python) out.push(`Cold start, server spawn to first diagnostics (p50 ms): python ${ms(r.coldStartMs.python.p50)}, typescript ${ms(r.coldStartMs.typescript.p50)}`);
  if (r.openOneFile?.typescript) {
    const o = r.openOneFile;
    out.push(`One file opened in the ${o.label} project, server spawn to first diagnostics (p50 ms / peak RSS MB): python ${o.python ? `${ms(o.python.p50)} / ${o.python.peakRssMb}` : '-'}, typescript ${ms(o.typescript.p50)} / ${o.typescript.peakRssMb}`);
  }
  out.push(
    !r.activation
      ? 'Extension activation: not run'
      : r.activation.activationMs
      ? `Extension activation in VS Code (p50 ms): activate() ${ms(r.activation.activationMs.p50)}, server ready ${ms(r.activation.serverReadyMs.p50)} after activation began`
      : `Extension activation: not measured (${r.activation?.unavailable ?? 'unknown'})`,
  );
  const rss = Object.entries(r.peakRssMb);
  if (rss.length) out.push(`Peak server RSS after opening every file of one language (MB): ${rss.map(([k, v]) => `${k} py ${v.python} / ts ${v.typescript}`).join(', ')}`);
  out.push(`(total ${r.durationSec}s${only || corpusArg ? "" : "; written to bench/results.json"})`);
  console.log(out.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
