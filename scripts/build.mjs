// Builds the extension: bundles for the client, the language server and the CLI (esbuild),
// copies the tree-sitter WASM files next to the server bundle, and transpiles sources and
// tests one-to-one into out/ for the test suite.
import * as esbuild from 'esbuild';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const pkg = JSON.parse(await fs.readFile(path.join(root, 'package.json'), 'utf8'));
const production = process.argv.includes('--production');
// --outroot <dir>: write only the shipped bundles (client, server, CLI, WASM, lib files) under <dir>,
// e.g. a packaging stage, leaving the working tree's own build untouched.
const outRootArg = process.argv.indexOf('--outroot');
const outRoot = outRootArg > 0 ? path.resolve(process.argv[outRootArg + 1]) : root;
const shippedOnly = outRoot !== root;
const define = { __ASYNCSENSE_VERSION__: JSON.stringify(pkg.version) };

async function listTs(dir) {
  const out = [];
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'fixtures' || e.name === 'node_modules' || e.name === 'out') continue;
      out.push(...(await listTs(p)));
    } else if (/\.ts$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

// web-tree-sitter's ESM build needs import.meta.url, which a CommonJS bundle lacks: bundle its CJS build.
const treeSitterCjs = {
  name: 'web-tree-sitter-cjs',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
  },
};

// The TS/JS half (compiler included) is a bundle of its own, loaded when a TS/JS file is first
// analysed (server/src/typescript/lazy.ts): the server and CLI bundles leave it out.
const lazyTsSupport = {
  name: 'lazy-ts-support',
  setup(build) {
    build.onResolve({ filter: /^\.\/support$/ }, (args) =>
      args.importer.endsWith(path.join('typescript', 'lazy.ts')) ? { path: './typescript-support.js', external: true } : undefined,
    );
  },
};

const common = {
  plugins: [treeSitterCjs],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  define,
  logLevel: 'warning',
};

await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: [path.join(root, 'client/src/extension.ts')],
    outfile: path.join(outRoot, 'client/out/extension.js'),
    external: ['vscode'],
  }),
  esbuild.build({
    ...common,
    plugins: [treeSitterCjs, lazyTsSupport],
    entryPoints: {
      server: path.join(root, 'server/src/server.ts'),
      cli: path.join(root, 'server/src/cli.ts'),
      // A worker thread of a multi-threaded check (server/src/scanPool.ts).
      scanWorker: path.join(root, 'server/src/scanWorker.ts'),
    },
    outdir: path.join(outRoot, 'server/out'),
  }),
  esbuild.build({
    ...common,
    entryPoints: { 'typescript-support': path.join(root, 'server/src/typescript/support.ts') },
    outdir: path.join(outRoot, 'server/out'),
  }),
  !shippedOnly &&
  esbuild.build({
    entryPoints: [...(await listTs(path.join(root, 'server/src'))), ...(await listTs(path.join(root, 'client/src'))), ...(await listTs(path.join(root, 'test')))],
    outdir: path.join(root, 'out'),
    outbase: root,
    bundle: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    define,
    logLevel: 'warning',
  }),
]);

if (!shippedOnly) {
  // The transpiled tree (out/) imports snippets/catalog.json relative to its sources: mirror it.
  await fs.mkdir(path.join(root, 'out/snippets'), { recursive: true });
  await fs.copyFile(path.join(root, 'snippets/catalog.json'), path.join(root, 'out/snippets/catalog.json'));
}
const wasmDir = path.join(outRoot, 'server/out/wasm');
await fs.mkdir(wasmDir, { recursive: true });
for (const file of ['web-tree-sitter/web-tree-sitter.wasm', 'tree-sitter-python/tree-sitter-python.wasm']) {
  await fs.copyFile(require.resolve(file), path.join(wasmDir, path.basename(file)));
}
// The bundled TypeScript compiler looks for its lib.*.d.ts files next to the bundle.
const tsLib = path.dirname(require.resolve('typescript/lib/typescript.js'));
for (const name of await fs.readdir(tsLib)) {
  if (/^lib(\..*)?\.d\.ts$/.test(name)) await fs.copyFile(path.join(tsLib, name), path.join(outRoot, 'server/out', name));
}
console.log(`built ${pkg.name} ${pkg.version}${production ? ' (production)' : ''}`);
