import type { Rule } from '../engine/types';

/** Reported by the engine itself after suppressions are matched (see engine/suppressions.ts). */
export const unusedSuppression: Rule = {
  id: 'unused-suppression',
  family: 'hygiene',
  languages: ['python', 'typescript'],
  defaultSeverity: 'warning',
  anchors: ['RUF100'],
  fixable: 'safe',
  docs: {
    summary: 'An AsyncSense suppression comment that silences nothing, or names an unknown rule.',
    what: [
      'A `# asyncsense: ignore[...]` (Python) or `// asyncsense-ignore-next-line ...` (TS/JS)',
      'directive whose rules report nothing on the line it targets, or that names a rule id',
      'AsyncSense does not know. `# noqa` comments are shared with other linters and are never',
      'reported.',
    ].join('\n'),
    why: [
      'Stale suppressions hide future findings: once the code they were written for is gone, they',
      'silently swallow the next real problem on that line. A misspelt rule id suppresses nothing',
      'while looking as if it did.',
    ].join('\n'),
    examples: [
      {
        language: 'python',
        bad: ['async def handler():', '    await asyncio.sleep(1)  # asyncsense: ignore[blocking-call-in-async]'].join('\n'),
        good: ['async def handler():', '    await asyncio.sleep(1)'].join('\n'),
      },
      {
        language: 'typescript',
        bad: ['// asyncsense-ignore-next-line blocking-call-in-async', "const text = await fs.promises.readFile(path, 'utf8');"].join('\n'),
        good: ["const text = await fs.promises.readFile(path, 'utf8');"].join('\n'),
      },
    ],
    fix: 'Removes the unused rule ids, or the whole directive when none of its ids is used. Safe.',
    notes: 'Ids of rules that are disabled by the configuration are not reported as unused.',
  },
  check: {},
};
