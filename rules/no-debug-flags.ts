import { defineRule } from '../src/engine/define-rule';

/** Variables that switch an app into development mode, and the value that switches it back. */
const DEBUG_VARS: Record<string, { readonly on: RegExp; readonly off: (v: string) => string }> = {
  DEBUG: { on: /^(1|true|yes|on)$/i, off: (v) => falseLike(v) },
  FLASK_DEBUG: { on: /^(1|true|yes|on)$/i, off: (v) => falseLike(v) },
  DJANGO_DEBUG: { on: /^(1|true|yes|on)$/i, off: (v) => falseLike(v) },
  APP_DEBUG: { on: /^(1|true|yes|on)$/i, off: (v) => falseLike(v) },
  FLASK_ENV: { on: /^dev(elopment)?$/i, off: () => 'production' },
  NODE_ENV: { on: /^dev(elopment)?$/i, off: () => 'production' },
  RAILS_ENV: { on: /^dev(elopment)?$/i, off: () => 'production' },
  APP_ENV: { on: /^dev(elopment)?$/i, off: () => 'production' },
  ENVIRONMENT: { on: /^dev(elopment)?$/i, off: () => 'production' },
};

/** What every name of DEBUG_VARS holds: ENV instructions without one are not read. */
const DEBUG_WORD = /DEBUG|ENV/i;

function falseLike(v: string): string {
  if (/^1$/.test(v)) return '0';
  if (/^yes$/i.test(v)) return v === v.toUpperCase() ? 'NO' : 'no';
  if (/^on$/i.test(v)) return 'off';
  return v === 'True' ? 'False' : v === v.toUpperCase() ? 'FALSE' : 'false';
}

export function productionValue(name: string, value: string): string | undefined {
  const spec = DEBUG_VARS[name.toUpperCase()];
  return spec && spec.on.test(value) ? spec.off(value) : undefined;
}

export const rule = defineRule({
  id: 'no-debug-flags',
  aliases: [],
  severity: 'warning',
  description: 'Do not ship debug or development mode in the final image.',
  docs:
    '`DEBUG=True`, `FLASK_DEBUG=1` or `NODE_ENV=development` in the final image turn on interactive ' +
    'debuggers, verbose errors with stack traces and unoptimised code paths in production. Only the ' +
    'final stage is checked (a build stage may need dev dependencies). The fix sets the production value ' +
    'and is marked for review.',
  messages: { debug: '{{name}}={{value}} ships development mode in the final image.' },
  fix: 'review',
  check(model, ctx) {
    const final = model.stages[model.stages.length - 1];
    for (const ins of final?.instructions ?? []) {
      if (ins.kind !== 'env' || !DEBUG_WORD.test(ins.plainText)) continue;
      for (const p of ins.pairs) {
        if (p.value === undefined || !p.valueRange || !productionValue(p.name, p.value)) continue;
        ctx.report({ messageId: 'debug', data: { name: p.name, value: p.value }, range: p.valueRange });
      }
    }
  },
});
