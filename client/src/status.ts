/** Pure logic of the language status item: what to show for the last analysis of a file. */
export interface StatusReport {
  uri: string;
  durationMs: number;
  findings: number;
  skipped?: string;
}

export interface StatusView {
  text: string;
  detail: string;
  /** 0 information, 1 warning (the LanguageStatusSeverity values). */
  severity: 0 | 1;
}

export function statusView(report: StatusReport | undefined, budgetMs: number): StatusView {
  if (!report) return { text: 'AsyncSense', detail: 'Waiting for the first analysis', severity: 0 };
  if (report.skipped) return { text: 'AsyncSense: skipped', detail: `Not analysed: ${report.skipped}`, severity: 1 };
  const slow = report.durationMs > budgetMs;
  const findings = `${report.findings} finding${report.findings === 1 ? '' : 's'}`;
  return {
    text: `AsyncSense: ${report.durationMs} ms`,
    detail: slow
      ? `${findings}. Analysis took ${report.durationMs} ms, over the ${budgetMs} ms budget (asyncsense.status.timeBudget): consider asyncsense.run = onSave for this file`
      : `${findings}; analysed in ${report.durationMs} ms`,
    severity: slow ? 1 : 0,
  };
}
