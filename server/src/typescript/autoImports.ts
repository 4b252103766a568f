/**
 * Auto-imported names of a project: Nuxt (and unplugin-auto-import in a Vite app) make Vue's API
 * global (`onMounted`, `watch`, `ref`, ... with no `import` in the file) and declare those globals
 * in a generated file, `.nuxt/types/imports.d.ts` or `auto-imports.d.ts`, one line each:
 * `const onMounted: typeof import('vue')['onMounted']`. Names are read from that file; a Nuxt
 * project checked out without its generated `.nuxt/` (a `nuxt.config.*` beside `package.json`)
 * gets Vue's lifecycle hooks and watchers, which Nuxt always auto-imports.
 */
import * as fs from 'fs';
import * as path from 'path';
import { nearestAbove } from './util';

export interface AutoImport {
  /** The module it comes from (`vue`). */
  module: string;
  /** Its name in that module. */
  name: string;
}

export type AutoImports = ReadonlyMap<string, AutoImport>;

const NONE: AutoImports = new Map();
const byDir = new Map<string, AutoImports>();

/** Files that declare a project's auto-imports, relative to a directory on the way to its root. */
const DECLARATION_FILES = ['.nuxt/types/imports.d.ts', 'auto-imports.d.ts', 'src/auto-imports.d.ts', 'types/auto-imports.d.ts'];
const NUXT_CONFIGS = ['nuxt.config.ts', 'nuxt.config.js', 'nuxt.config.mjs', 'nuxt.config.mts'];
/** Vue's API that Nuxt auto-imports in every project (the part the rules look at). */
const NUXT_VUE = [
  'onMounted', 'onBeforeMount', 'onActivated', 'onDeactivated', 'onUnmounted', 'onBeforeUnmount', 'onScopeDispose',
  'watch', 'watchEffect', 'watchPostEffect', 'watchSyncEffect', 'onWatcherCleanup', 'nextTick', 'ref', 'computed',
];
const DECLARED = /\bconst\s+([\w$]+)\s*:\s*typeof\s+import\(\s*['"]([^'"]+)['"]\s*\)\s*\[\s*['"]([\w$]+)['"]\s*\]/g;

export function forgetAutoImports(): void {
  byDir.clear();
}

/** `../../node_modules/vue` → `vue`: the package path after the last `node_modules/`. */
function moduleOf(specifier: string): string {
  const i = specifier.lastIndexOf('node_modules/');
  return i >= 0 ? specifier.slice(i + 'node_modules/'.length) : specifier;
}

function read(file: string): AutoImports | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const found = new Map<string, AutoImport>();
  for (const m of text.matchAll(DECLARED)) if (!found.has(m[1])) found.set(m[1], { module: moduleOf(m[2]), name: m[3] });
  return found;
}

/** The auto-imports visible from a file: those of the nearest project (the nearest `package.json` or `nuxt.config.*`) above it. */
export function autoImportsFor(filePath: string): AutoImports {
  return nearestAbove(
    filePath,
    byDir,
    (dir) => {
      for (const rel of DECLARATION_FILES) {
        const file = path.join(dir, rel);
        const found = fs.existsSync(file) ? read(file) : undefined;
        if (found) return found;
      }
      if (NUXT_CONFIGS.some((c) => fs.existsSync(path.join(dir, c)))) return new Map(NUXT_VUE.map((name) => [name, { module: 'vue', name }]));
      // The project's root: no folder above it speaks for it.
      return fs.existsSync(path.join(dir, 'package.json')) ? NONE : undefined;
    },
    NONE,
  );
}
