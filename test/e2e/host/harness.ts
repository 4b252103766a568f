/**
 * Shared plumbing of the end-to-end tests that run outside VS Code: the environment prepared by
 * test/e2e/setup.sh, isolated HOME-like folders, processes started in their own group (so the
 * whole tree stops), deadline polling and the browser.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export const repoRoot = path.resolve(__dirname, '../../../..');
export const ARTIFACTS = path.join(repoRoot, 'test/e2e/artifacts');
export const EXTENSION_ID = 'asyncsense.asyncsense';

export interface E2eEnv {
  NODE24: string;
  CODE_SERVER: string;
  VSCODE_SERVER_MAIN: string;
  CHROMIUM: string;
  NVIM: string;
}

export function cacheDir(): string {
  return process.env.ASYNCSENSE_E2E_CACHE ?? path.join(os.homedir(), '.cache/asyncsense-e2e');
}

/** The `KEY=value` file written by setup.sh. */
export function readEnv(): E2eEnv {
  const file = path.join(cacheDir(), 'env');
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2];
  }
  for (const key of ['NODE24', 'CODE_SERVER', 'VSCODE_SERVER_MAIN', 'CHROMIUM']) {
    if (!env[key]) throw new Error(`${file} lacks ${key}: run test/e2e/setup.sh`);
  }
  return env as unknown as E2eEnv;
}

/** XDG folders under `tmp`, so neither code-server nor Chromium writes into the real home. */
export function isolatedEnv(tmp: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const dirs = { XDG_CONFIG_HOME: 'config', XDG_DATA_HOME: 'data', XDG_CACHE_HOME: 'cache' };
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const [key, name] of Object.entries(dirs)) {
    env[key] = path.join(tmp, 'xdg', name);
    fs.mkdirSync(env[key]!, { recursive: true });
  }
  // The machine's npmrc may point node-gyp at another Node's headers; nothing here compiles.
  delete env.npm_config_nodedir;
  return env;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns a truthy value; fails with `what` after `ms`. Never a fixed sleep. */
export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, ms: number, what: string, interval = 150): Promise<T> {
  const deadline = Date.now() + ms;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${ms} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

export function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 500);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

export interface Started {
  proc: ChildProcess;
  log: string;
  output(): string;
}

/** Starts a process in its own process group, its output going to `log`. */
export function start(cmd: string, args: string[], env: NodeJS.ProcessEnv, log: string): Started {
  fs.mkdirSync(path.dirname(log), { recursive: true });
  const fd = fs.openSync(log, 'w');
  const proc = spawn(cmd, args, { env, stdio: ['ignore', fd, fd], detached: true });
  fs.closeSync(fd);
  return { proc, log, output: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '') };
}

/** Stops a process started by `start` and everything it spawned (language servers, extension hosts). */
export async function stop(started: Started | undefined): Promise<void> {
  const proc = started?.proc;
  if (!proc?.pid || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  try {
    process.kill(-proc.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-proc.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}

export function launchBrowser(env: E2eEnv, tmp: string): Promise<Browser> {
  return chromium.launch({
    executablePath: env.CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    env: isolatedEnv(tmp) as Record<string, string>,
  });
}

/** A writable copy of the bundled examples/, so no test ever changes the repository. */
export function copyExamples(dest: string): string {
  fs.cpSync(path.join(repoRoot, 'examples'), dest, { recursive: true });
  return dest;
}

export function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
}
