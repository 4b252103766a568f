/**
 * Analysing many files on several threads: the calling thread takes the first share of the files
 * and worker threads the others, each with an engine of its own that is told of every file of the
 * scan (so each Python index and TypeScript program is the one a single-threaded scan builds, and
 * the findings are the same). Outcomes come back in the order of the tasks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ResolvedConfig } from './engine/config';
import type { AnalysisResult, Engine } from './engine/engine';
import { readSource } from './engine/source';

export interface ScanTask {
  file: string;
  config: ResolvedConfig;
}

export type ScanOutcome =
  | { kind: 'analysed'; result: AnalysisResult }
  /** The file could not be read as text (too big, binary, not UTF-8, unreadable). */
  | { kind: 'unread'; reason: string }
  /** The engine threw: a bug, reported as an internal error. */
  | { kind: 'failed'; message: string };

/** What a worker is given. */
export interface ScanWorkerInput {
  /** Every file of the scan, in the engine's order (see Engine.prepareFiles). */
  all: string[];
  tasks: ScanTask[];
}

export type ScanWorkerOutput = { outcomes: ScanOutcome[] } | { error: string };

export function analyzeTask(engine: Engine, task: ScanTask): ScanOutcome {
  const source = readSource(task.file, task.config.maxFileSize);
  if ('skipped' in source) return { kind: 'unread', reason: source.skipped };
  try {
    return { kind: 'analysed', result: engine.analyze({ filePath: task.file, text: source.text }, task.config) };
  } catch (e) {
    return { kind: 'failed', message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) };
  }
}

/** Sizes of the files (0 for those that cannot be read: the engine says why later). */
function sizesOf(files: readonly string[]): number[] {
  return files.map((f) => {
    try {
      return fs.statSync(f).size;
    } catch {
      return 0;
    }
  });
}

/** How many threads a scan uses: those asked for (one by default), no more than there are files. */
export function jobsFor(tasks: readonly ScanTask[], requested: number | undefined): number {
  return Math.max(1, Math.min(requested ?? 1, tasks.length || 1));
}

/** Consecutive shares of the tasks with about the same number of bytes each. */
export function shareOut(tasks: readonly ScanTask[], jobs: number): ScanTask[][] {
  const sizes = sizesOf(tasks.map((t) => t.file)).map((s) => s + 1);
  const total = sizes.reduce((a, b) => a + b, 0);
  const shares: ScanTask[][] = [[]];
  let done = 0;
  for (let i = 0; i < tasks.length; i++) {
    // A new share starts once the ones before hold their part of the bytes.
    if (shares.length < jobs && shares[shares.length - 1].length > 0 && done >= (total * shares.length) / jobs) shares.push([]);
    shares[shares.length - 1].push(tasks[i]);
    done += sizes[i];
  }
  return shares;
}

/** The worker script next to this module (the bundle's, or the transpiled tree's). */
function workerScript(): string {
  return path.join(__dirname, 'scanWorker.js');
}

function runWorker(input: ScanWorkerInput): Promise<ScanOutcome[] | string> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (value: ScanOutcome[] | string) => {
      if (!settled) {
        settled = true;
        resolve(value);
      }
    };
    let worker: Worker;
    try {
      worker = new Worker(workerScript(), { workerData: input, stdout: true });
      // Nothing of a worker's reaches standard output (it carries the report).
      worker.stdout.resume();
    } catch (e) {
      settle((e as Error).message);
      return;
    }
    worker.once('message', (out: ScanWorkerOutput) => {
      settle('outcomes' in out ? out.outcomes : out.error);
      void worker.terminate();
    });
    worker.once('error', (e) => settle(e.message));
    worker.once('exit', (code) => settle(`the worker thread exited with code ${code}`));
  });
}

/**
 * Analyses `tasks` (in the engine's order, `all` being every file of the scan in that order) on
 * `jobs` threads. A worker that fails (out of memory, say) has its share analysed here instead;
 * `log` hears why.
 */
export async function analyzeTasks(
  engine: Engine,
  all: readonly string[],
  tasks: readonly ScanTask[],
  jobs: number,
  log: (message: string) => void = () => undefined,
): Promise<ScanOutcome[]> {
  if (jobs <= 1 || tasks.length < 2) return tasks.map((t) => analyzeTask(engine, t));
  const [own, ...others] = shareOut(tasks, jobs);
  const pending = others.map((share) => runWorker({ all: [...all], tasks: share }));
  const outcomes = own.map((t) => analyzeTask(engine, t));
  for (let i = 0; i < others.length; i++) {
    const got = await pending[i];
    if (typeof got === 'string') {
      log(`a worker thread failed (${got.split('\n')[0]}); its ${others[i].length} files are analysed on the main thread`);
      for (const t of others[i]) outcomes.push(analyzeTask(engine, t));
    } else outcomes.push(...got);
  }
  return outcomes;
}
