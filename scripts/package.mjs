// Packages the extension: a production (minified, no source maps) build into a staging folder that
// holds only the shipped files, then `vsce package` there. The working tree's own (development)
// build is left alone, so packaging never races with a test run.
//   node scripts/package.mjs [--out <file.vsix>] [--keep-stage <dir>]
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(await fs.readFile(path.join(root, 'package.json'), 'utf8'));
const argValue = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const out = path.resolve(argValue('--out') ?? path.join(root, `${pkg.name}-${pkg.version}.vsix`));
const keepStage = argValue('--keep-stage');
const stage = keepStage ? path.resolve(keepStage) : await fs.mkdtemp(path.join(os.tmpdir(), 'asyncsense-package-'));

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`failed: ${cmd} ${args.join(' ')}`);
    process.exit(r.status ?? 1);
  }
}

try {
  await fs.rm(stage, { recursive: true, force: true });
  await fs.mkdir(stage, { recursive: true });
  // Static files; .vscodeignore (the allow-list) still decides what goes into the .vsix.
  for (const item of ['package.nls.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'images', 'snippets', 'docs']) {
    await fs.cp(path.join(root, item), path.join(stage, item), { recursive: true }).catch((e) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }
  // The stage has no build scripts or dependencies: drop the npm scripts so vsce runs none.
  const staged = { ...pkg };
  delete staged.scripts;
  delete staged.devDependencies;
  await fs.writeFile(path.join(stage, 'package.json'), JSON.stringify(staged, null, 2) + '\n');
  run(process.execPath, [path.join(root, 'scripts/build.mjs'), '--production', '--outroot', stage], root);
  // The CLI bundle is for npm users of the package, not for the extension.
  await fs.rm(path.join(stage, 'server/out/cli.js'), { force: true });
  await fs.mkdir(path.dirname(out), { recursive: true });
  const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
  // --no-dependencies: everything the extension needs is bundled. README links stay relative
  // (no repository URL to rewrite them against); the Marketplace is not the distribution channel.
  run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], stage);
  const { size } = await fs.stat(out);
  console.log(`${path.relative(process.cwd(), out) || out}: ${(size / 1024 / 1024).toFixed(2)} MB`);
} finally {
  if (!keepStage) await fs.rm(stage, { recursive: true, force: true });
}
