import { labelInstrs } from '../src/core/labels';
import { defineRule } from '../src/engine/define-rule';

/** Docker's label key format: lower-case letters, digits, `.`, `-`, `_` and `/`, starting with a letter,
 * ending with a letter or digit, no `..` or `--`, and outside the namespaces Docker reserves. */
export function labelKeyValid(key: string): boolean {
  return (
    /^[a-z](?:[a-z0-9._/-]*[a-z0-9])?$/.test(key) &&
    !/\.\.|--/.test(key) &&
    !/^(com\.docker\.|io\.docker\.|org\.dockerproject\.)/.test(key)
  );
}

export const rule = defineRule({
  id: 'label-key-valid',
  aliases: ['DL3048'],
  severity: 'style',
  description: 'Use valid label keys.',
  docs:
    "Docker's guidelines for label keys: lower-case letters, digits, `.`, `-`, `_` and `/`; begin with " +
    'a letter and end with a letter or digit; no `..` or `--`; and leave `com.docker.*`, `io.docker.*` ' +
    'and `org.dockerproject.*` to Docker. Tools that read labels (OCI annotations, registries, scanners) ' +
    'expect keys of this form, such as `org.opencontainers.image.source`.',
  messages: { key: 'label key {{key}} is not valid.' },
  fix: 'none',
  check(model, ctx) {
    for (const l of labelInstrs(model))
      for (const p of l.pairs)
        if (!labelKeyValid(p.name))
          ctx.report({ messageId: 'key', data: { key: p.name }, range: p.nameRange });
  },
});
