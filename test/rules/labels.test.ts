import { rule as labelEmail } from '../../rules/label-email';
import { rule as labelGitHash } from '../../rules/label-git-hash';
import { rule as labelKeyValid } from '../../rules/label-key-valid';
import { rule as labelNotEmpty } from '../../rules/label-not-empty';
import { rule as labelRequired } from '../../rules/label-required';
import { rule as labelRfc3339 } from '../../rules/label-rfc3339';
import { rule as labelSemver } from '../../rules/label-semver';
import { rule as labelSpdx } from '../../rules/label-spdx';
import { rule as labelSuperfluous } from '../../rules/label-superfluous';
import { rule as labelUrl } from '../../rules/label-url';
import type { LabelType } from '../../src/engine/config';
import { ruleTester } from '../harness/rule-tester';

const schema = (labelSchema: Record<string, LabelType>, strictLabels = false) => ({
  labelSchema,
  strictLabels,
});
const F = 'FROM alpine:3.20\n';

ruleTester.run(labelKeyValid, {
  valid: [`${F}LABEL org.opencontainers.image.source=https://x version=1 my_team/app-name=a\n`],
  invalid: [
    { code: `${F}LABEL com.docker.extension=x\n`, errors: [{ messageId: 'key', line: 2, column: 7 }] },
    { code: `${F}LABEL Maintainer=me\n`, errors: [{ messageId: 'key' }] },
    { code: `${F}LABEL a..b=1 c--d=2 e.=3 9x=4\n`, errors: Array(4).fill({ messageId: 'key' }) },
  ],
});

ruleTester.run(labelRequired, {
  valid: [
    `${F}`,
    { code: `${F}LABEL team=core\n`, config: schema({ team: 'text' }) },
    {
      name: 'inherited',
      code: `FROM alpine:3.20 AS base\nLABEL team=core\nFROM base\n`,
      config: schema({ team: 'text' }),
    },
    {
      name: 'set by the child',
      code: `FROM alpine:3.20 AS base\nFROM base\nLABEL team=core\n`,
      config: schema({ team: 'text' }),
    },
    {
      name: 'a stage only copied from',
      code: `FROM golang:1.22 AS build\nFROM alpine:3.20\nLABEL team=core\nCOPY --from=build /o /o\n`,
      config: schema({ team: 'text' }),
    },
  ],
  invalid: [
    {
      code: `${F}LABEL other=x\n`,
      config: schema({ team: 'text' }),
      errors: [{ messageId: 'missing', line: 1, column: 1 }],
    },
    {
      code: `FROM alpine:3.20\nLABEL team=a\nFROM debian:12\n`,
      config: schema({ team: 'text', url: 'url' }),
      errors: [
        { messageId: 'missing', line: 1 },
        { messageId: 'missing', line: 3 },
        { messageId: 'missing', line: 3 },
      ],
    },
  ],
});

ruleTester.run(labelSuperfluous, {
  valid: [
    { code: `${F}LABEL team=a other=b\n`, config: schema({ team: 'text' }) },
    { code: `${F}LABEL team=a\n`, config: schema({ team: 'text' }, true) },
  ],
  invalid: [
    {
      code: `${F}LABEL team=a other=b\n`,
      config: schema({ team: 'text' }, true),
      errors: [{ messageId: 'extra', line: 2, column: 14 }],
    },
  ],
});

ruleTester.run(labelNotEmpty, {
  valid: [{ code: `${F}LABEL team=a other=""\n`, config: schema({ team: 'text' }) }],
  invalid: [
    {
      code: `${F}LABEL team=""\n`,
      config: schema({ team: 'text' }),
      errors: [{ messageId: 'empty', line: 2, column: 7 }],
    },
  ],
});

ruleTester.run(labelUrl, {
  valid: [
    {
      code: `${F}LABEL src=https://github.com/o/r docs=mailto:a@b.c\n`,
      config: schema({ src: 'url', docs: 'url' }),
    },
    { code: `${F}LABEL src=nothing\n`, config: schema({ other: 'url' }) },
  ],
  invalid: [
    {
      code: `${F}LABEL src=github.com/o/r\n`,
      config: schema({ src: 'url' }),
      errors: [{ messageId: 'format', line: 2, column: 11 }],
    },
    {
      code: `${F}LABEL src="https://x/a b"\n`,
      config: schema({ src: 'url' }),
      errors: [{ messageId: 'format' }],
    },
  ],
});

ruleTester.run(labelRfc3339, {
  valid: [
    {
      code: `${F}LABEL at=2024-02-29T23:59:59Z b=2024-05-01T12:00:00.5+02:00\n`,
      config: schema({ at: 'rfc3339', b: 'rfc3339' }),
    },
  ],
  invalid: [
    {
      code: `${F}LABEL at=2024-05-01\n`,
      config: schema({ at: 'rfc3339' }),
      errors: [{ messageId: 'format' }],
    },
    {
      code: `${F}LABEL at=2023-02-29T00:00:00Z\n`,
      config: schema({ at: 'rfc3339' }),
      errors: [{ messageId: 'format' }],
    },
  ],
});

ruleTester.run(labelSpdx, {
  valid: [{ code: `${F}LABEL l=Apache-2.0 m=MIT\n`, config: schema({ l: 'spdx', m: 'spdx' }) }],
  invalid: [
    { code: `${F}LABEL l="Apache 2"\n`, config: schema({ l: 'spdx' }), errors: [{ messageId: 'format' }] },
  ],
});

ruleTester.run(labelGitHash, {
  valid: [
    {
      code: `${F}LABEL r=0f3a9c1 s=0f3a9c1e2d4b5a69788796a5b4c3d2e1f0a9b8c7\n`,
      config: schema({ r: 'hash', s: 'hash' }),
    },
  ],
  invalid: [
    { code: `${F}LABEL r=main\n`, config: schema({ r: 'hash' }), errors: [{ messageId: 'format' }] },
    { code: `${F}LABEL r=0F3A9C1\n`, config: schema({ r: 'hash' }), errors: [{ messageId: 'format' }] },
  ],
});

ruleTester.run(labelSemver, {
  valid: [{ code: `${F}LABEL v=2.1.0-rc.1+build.5\n`, config: schema({ v: 'semver' }) }],
  invalid: [
    { code: `${F}LABEL v=v2.1\n`, config: schema({ v: 'semver' }), errors: [{ messageId: 'format' }] },
    { code: `${F}LABEL v=01.2.3\n`, config: schema({ v: 'semver' }), errors: [{ messageId: 'format' }] },
  ],
});

ruleTester.run(labelEmail, {
  valid: [
    { code: `${F}LABEL maintainer=ops.team+images@example.org\n`, config: schema({ maintainer: 'email' }) },
  ],
  invalid: [
    {
      code: `${F}LABEL maintainer="Ops Team"\n`,
      config: schema({ maintainer: 'email' }),
      errors: [{ messageId: 'format' }],
    },
    {
      code: `${F}LABEL maintainer=ops@\n`,
      config: schema({ maintainer: 'email' }),
      errors: [{ messageId: 'format' }],
    },
  ],
});
