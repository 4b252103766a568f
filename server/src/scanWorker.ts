/** A worker thread of a multi-threaded scan (see scanPool.ts): analyses its share of the files. */
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine } from './analyzer';
import { analyzeTask, type ScanWorkerInput, type ScanWorkerOutput } from './scanPool';

async function work(input: ScanWorkerInput): Promise<ScanWorkerOutput> {
  const engine = await createEngine();
  engine.prepareFiles(input.all);
  return { outcomes: input.tasks.map((t) => analyzeTask(engine, t)) };
}

if (parentPort) {
  const port = parentPort;
  work(workerData as ScanWorkerInput).then(
    (out) => port.postMessage(out),
    (e: unknown) => port.postMessage({ error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) } satisfies ScanWorkerOutput),
  );
}
