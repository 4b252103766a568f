/**
 * Editor settings (`asyncsense.*`), read per document through `workspace/configuration`, and
 * how they combine with the configuration files. Pure functions: tested without an editor.
 */
import type { ResolvedConfig, SeverityOrOff } from './engine/config';
import { SEVERITIES } from './engine/types';

export interface RuleCustomization {
  /** A rule id or a glob over rule ids (`*`, `unawaited-*`). */
  rule: string;
  severity: SeverityOrOff | 'default';
}

export interface EditorSettings {
  enable: boolean;
  run: 'onType' | 'onSave';
  /** `workspace`: every file of the folder is analysed and listed in Problems, not only open ones. */
  diagnosticMode: 'openFiles' | 'workspace';
  rulesCustomizations: RuleCustomization[];
  codeActionsOnSaveExclude: string[];
  disableRuleCommentEnable: boolean;
  showDocumentationEnable: boolean;
  pythonEnable: boolean;
  typescriptEnable: boolean;
  maxFileSize?: number;
  configurationPreference: 'editorFirst' | 'filesystemFirst' | 'editorOnly';
}

export const DEFAULT_EDITOR_SETTINGS: EditorSettings = {
  enable: true,
  run: 'onType',
  diagnosticMode: 'openFiles',
  rulesCustomizations: [],
  codeActionsOnSaveExclude: [],
  disableRuleCommentEnable: true,
  showDocumentationEnable: true,
  pythonEnable: true,
  typescriptEnable: true,
  configurationPreference: 'editorFirst',
};

/** Reads the raw `asyncsense` section; wrong values fall back to defaults, with a problem each. */
export function normalizeSettings(raw: unknown): { settings: EditorSettings; problems: string[] } {
  const settings: EditorSettings = { ...DEFAULT_EDITOR_SETTINGS, rulesCustomizations: [], codeActionsOnSaveExclude: [] };
  const problems: string[] = [];
  if (!raw || typeof raw !== 'object') return { settings, problems };
  const r = raw as Record<string, unknown>;
  const nested = (key: string): unknown => key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), r);
  const bool = (key: string, set: (v: boolean) => void) => {
    const v = nested(key) ?? r[key];
    if (v === undefined) return;
    if (typeof v === 'boolean') set(v);
    else problems.push(`asyncsense.${key} must be true or false`);
  };
  bool('enable', (v) => (settings.enable = v));
  bool('python.enable', (v) => (settings.pythonEnable = v));
  bool('typescript.enable', (v) => (settings.typescriptEnable = v));
  bool('codeAction.disableRuleComment.enable', (v) => (settings.disableRuleCommentEnable = v));
  bool('codeAction.showDocumentation.enable', (v) => (settings.showDocumentationEnable = v));
  const run = r.run;
  if (run !== undefined) {
    if (run === 'onType' || run === 'onSave') settings.run = run;
    else problems.push("asyncsense.run must be 'onType' or 'onSave'");
  }
  const mode = r.diagnosticMode;
  if (mode !== undefined) {
    if (mode === 'openFiles' || mode === 'workspace') settings.diagnosticMode = mode;
    else problems.push("asyncsense.diagnosticMode must be 'openFiles' or 'workspace'");
  }
  const pref = r.configurationPreference;
  if (pref !== undefined) {
    if (pref === 'editorFirst' || pref === 'filesystemFirst' || pref === 'editorOnly') settings.configurationPreference = pref;
    else problems.push("asyncsense.configurationPreference must be 'editorFirst', 'filesystemFirst' or 'editorOnly'");
  }
  const size = r.maxFileSize;
  if (size !== undefined && size !== null) {
    if (typeof size === 'number' && size > 0) settings.maxFileSize = Math.floor(size);
    else problems.push('asyncsense.maxFileSize must be a positive number of bytes');
  }
  const customizations = nested('rules.customizations') ?? r['rules.customizations'];
  if (customizations !== undefined) {
    if (!Array.isArray(customizations)) problems.push('asyncsense.rules.customizations must be a list of { rule, severity }');
    else {
      for (const c of customizations) {
        const rule = (c as RuleCustomization)?.rule;
        const severity = (c as RuleCustomization)?.severity;
        if (typeof rule !== 'string' || !rule || !([...SEVERITIES, 'off', 'default'] as string[]).includes(severity as string)) {
          problems.push(`asyncsense.rules.customizations: ignored ${JSON.stringify(c)} (needs a rule and a severity among ${[...SEVERITIES, 'off', 'default'].join(', ')})`);
          continue;
        }
        settings.rulesCustomizations.push({ rule, severity });
      }
    }
  }
  const exclude = nested('codeActionsOnSave.exclude') ?? r['codeActionsOnSave.exclude'];
  if (exclude !== undefined) {
    if (Array.isArray(exclude) && exclude.every((e) => typeof e === 'string')) settings.codeActionsOnSaveExclude = exclude as string[];
    else problems.push('asyncsense.codeActionsOnSave.exclude must be a list of rule ids or globs');
  }
  return { settings, problems };
}

/** Whether a rule id matches a pattern with `*` wildcards (`*`, `unawaited-*`, `blocking-call-in-async`). */
export function ruleMatches(pattern: string, ruleId: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(ruleId);
}

/**
 * The configuration a document is analysed with: the configuration files' result combined with
 * the editor's settings according to `configurationPreference`.
 */
export function applyEditorSettings(fileConfig: ResolvedConfig, defaults: ResolvedConfig, settings: EditorSettings, ruleIds: Iterable<string>): ResolvedConfig {
  const base = settings.configurationPreference === 'editorOnly' ? { ...defaults, root: fileConfig.root } : fileConfig;
  const severity = { ...base.severity };
  for (const id of ruleIds) {
    // Later customizations win, as in vscode-eslint.
    let chosen: RuleCustomization['severity'] | undefined;
    for (const c of settings.rulesCustomizations) if (ruleMatches(c.rule, id)) chosen = c.severity;
    if (chosen === undefined) continue;
    if (settings.configurationPreference === 'filesystemFirst' && fileConfig.severity[id] !== undefined) continue;
    if (chosen === 'default') delete severity[id];
    else severity[id] = chosen;
  }
  const maxFileSize =
    settings.maxFileSize !== undefined && (settings.configurationPreference !== 'filesystemFirst' || base.source === undefined) ? settings.maxFileSize : base.maxFileSize;
  return { ...base, severity, maxFileSize };
}

/** Whether fix-all on save may apply a rule's fixes. */
export function fixableOnSave(settings: EditorSettings, ruleId: string): boolean {
  return !settings.codeActionsOnSaveExclude.some((p) => ruleMatches(p, ruleId));
}
