import { labelInstrs, labelValueValid } from '../core/labels';
import type { LabelType } from './config';
import { defineRule, type Rule } from './define-rule';

/** A rule reporting labels whose schema type is `type` and whose value does not have that form. */
export function labelFormatRule(spec: {
  id: string;
  alias: string;
  type: LabelType;
  form: string;
  docs: string;
}): Rule<'format'> {
  return defineRule({
    id: spec.id,
    aliases: [spec.alias],
    severity: 'warning',
    description: `Labels the label schema types as ${spec.type} hold ${spec.form}.`,
    docs: `${spec.docs} Only labels that \`labelSchema\` (hadolint's \`label-schema\`) gives the type \`${spec.type}\` are checked.`,
    messages: { format: `label {{label}} is not ${spec.form}.` },
    fix: 'none',
    check(model, ctx) {
      const schema = ctx.settings.labelSchema;
      for (const l of labelInstrs(model))
        for (const p of l.pairs)
          if (schema[p.name] === spec.type && !labelValueValid(spec.type, p.value ?? ''))
            ctx.report({ messageId: 'format', data: { label: p.name }, range: p.valueRange ?? p.nameRange });
    },
  });
}
