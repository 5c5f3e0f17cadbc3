/** How much a finding matters; config, rules and reports all speak of it. */
export type Severity = 'error' | 'warning' | 'info' | 'style';
export const SEVERITIES: readonly Severity[] = ['style', 'info', 'warning', 'error'];
