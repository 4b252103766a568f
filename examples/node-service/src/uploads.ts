import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export async function saveUpload(dir: string, name: string, body: Buffer): Promise<string> {
  const target = join(dir, name);
  writeFileSync(target, body);
  return target;
}
