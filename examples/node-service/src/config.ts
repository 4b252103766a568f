import * as fs from 'node:fs';
import { execSync } from 'node:child_process';

export interface Settings {
  port: number;
  dataDir: string;
}

// Reading synchronously at start-up, before the server accepts requests, is fine.
export function loadSettingsAtStartup(path: string): Settings {
  return JSON.parse(fs.readFileSync(path, 'utf8')) as Settings;
}

export async function reloadSettings(path: string): Promise<Settings> {
  const text = fs.readFileSync(path, 'utf8');
  return JSON.parse(text) as Settings;
}

export async function currentRevision(): Promise<string> {
  return execSync('git rev-parse HEAD').toString().trim();
}
