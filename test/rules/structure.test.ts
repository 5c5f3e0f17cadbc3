import { rule as addToExtract } from '../../rules/add-to-extract';
import { rule as consolidateRuns } from '../../rules/consolidate-runs';
import { rule as copyFromKnownStage } from '../../rules/copy-from-known-stage';
import { rule as copyFromSelf } from '../../rules/copy-from-self';
import { rule as copyMultiDestSlash } from '../../rules/copy-multi-dest-slash';
import { rule as copyRelativeDest } from '../../rules/copy-relative-dest';
import { rule as copyWholeFilesystem } from '../../rules/copy-whole-filesystem';
import { rule as envSelfReference } from '../../rules/env-self-reference';
import { rule as exposeValidPort } from '../../rules/expose-valid-port';
import { rule as fromFirst } from '../../rules/from-first';
import { rule as fromPlatformRedundant } from '../../rules/from-platform-redundant';
import { rule as healthcheckPresent } from '../../rules/healthcheck-present';
import { rule as noFromPlatform } from '../../rules/no-from-platform';
import { rule as noInlineIgnore } from '../../rules/no-inline-ignore';
import { rule as onbuildTrigger } from '../../rules/onbuild-trigger';
import { rule as secretNameInArgEnv } from '../../rules/secret-name-in-arg-env';
import { rule as singleCmd } from '../../rules/single-cmd';
import { rule as singleEntrypoint } from '../../rules/single-entrypoint';
import { rule as singleHealthcheck } from '../../rules/single-healthcheck';
import { rule as stageNameReserved } from '../../rules/stage-name-reserved';
import { rule as uniqueStageNames } from '../../rules/unique-stage-names';
import { rule as userNumeric } from '../../rules/user-numeric';
import { rule as workdirAbsolute } from '../../rules/workdir-absolute';
import { ruleTester } from '../harness/rule-tester';

const on = (id: string) => ({ severity: { [id]: 'warning' as const } });

ruleTester.run(noInlineIgnore, {
  valid: [
    { code: 'FROM alpine:3.20\n# install tools\nRUN true\n', config: on('no-inline-ignore') },
    { name: 'off by default', code: '# hadolint ignore=DL3006\nFROM alpine\n' },
  ],
  invalid: [
    {
      code: 'FROM alpine:3.20\n# hadolint ignore=DL3018\nRUN apk add curl\n',
      config: on('DL1001'),
      errors: [{ messageId: 'pragma', line: 2, column: 1 }],
    },
    {
      code: '# harden-dockerfile global ignore=no-sudo\nFROM alpine:3.20\n',
      config: on('no-inline-ignore'),
      errors: [{ messageId: 'pragma', line: 1 }],
    },
  ],
});

ruleTester.run(workdirAbsolute, {
  valid: [
    'FROM alpine:3.20\nWORKDIR /srv/app\n',
    'FROM alpine:3.20\nWORKDIR "/srv/my app"\n',
    'FROM alpine:3.20\nWORKDIR $HOME/app\n',
    'FROM alpine:3.20\nWORKDIR ${APP_ROOT}\n',
    'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR C:\\app\n',
    'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR d:/data\n',
  ],
  invalid: [
    { code: 'FROM alpine:3.20\nWORKDIR app\n', errors: [{ messageId: 'relative', line: 2, column: 9 }] },
    { code: 'FROM alpine:3.20\nWORKDIR "./build"\n', errors: [{ messageId: 'relative' }] },
    { code: 'FROM alpine:3.20\nONBUILD WORKDIR src\n', errors: [{ messageId: 'relative' }] },
  ],
});

ruleTester.run(addToExtract, {
  valid: [
    'FROM alpine:3.20\nCOPY app.tar.gz /opt/\n',
    'FROM alpine:3.20\nCOPY app.tar.gz /opt/\nRUN tar -tzf /opt/app.tar.gz\n',
    'FROM alpine:3.20\nCOPY app.tar.gz /opt/\nRUN tar -xzf /opt/other.tar.gz\n',
    {
      name: 'another stage extracts it',
      code: 'FROM alpine:3.20\nCOPY a.tar /x/\nFROM alpine:3.20\nRUN tar xf /x/a.tar\n',
    },
    {
      name: 'copied from a stage',
      code: 'FROM alpine:3.20 AS b\nFROM alpine:3.20\nCOPY --from=b /a.tgz /\nRUN tar xzf /a.tgz\n',
    },
  ],
  invalid: [
    {
      code: 'FROM alpine:3.20\nCOPY dist/app.tar.gz /opt/\nRUN tar -xzf /opt/app.tar.gz -C /opt\n',
      errors: [{ messageId: 'extract', line: 2, column: 1 }],
    },
    {
      code: 'COPY bundle.tar /srv/\nWORKDIR /srv\nRUN make && tar --extract -f bundle.tar\n',
      errors: [{ messageId: 'extract' }],
    },
    {
      name: 'renamed on copy',
      code: 'FROM alpine:3.20\nCOPY out/x.tgz /tmp/pkg.tgz\nRUN tar xzf /tmp/pkg.tgz\n',
      errors: [{ messageId: 'extract' }],
    },
    {
      name: 'gunzip',
      code: 'FROM alpine:3.20\nCOPY data.gz /d/\nRUN gunzip /d/data.gz\n',
      errors: [{ messageId: 'extract' }],
    },
  ],
});

ruleTester.run(exposeValidPort, {
  valid: [
    'FROM alpine:3.20\nEXPOSE 80 443/tcp 53/udp 65535\n',
    'FROM alpine:3.20\nEXPOSE 8000-8010\n',
    'FROM alpine:3.20\nEXPOSE $PORT\n',
  ],
  invalid: [
    { code: 'FROM alpine:3.20\nEXPOSE 80 70000\n', errors: [{ messageId: 'range', line: 2, column: 11 }] },
    { code: 'FROM alpine:3.20\nEXPOSE 65536/udp\n', errors: [{ messageId: 'range' }] },
    { code: 'FROM alpine:3.20\nEXPOSE 8000-99999\n', errors: [{ messageId: 'range' }] },
  ],
});

ruleTester.run(singleHealthcheck, {
  valid: [
    'FROM alpine:3.20\nHEALTHCHECK CMD ["/bin/probe"]\n',
    'FROM alpine:3.20 AS a\nHEALTHCHECK NONE\nFROM alpine:3.20\nHEALTHCHECK CMD ["/probe"]\n',
  ],
  invalid: [
    {
      code: 'FROM alpine:3.20\nHEALTHCHECK CMD ["/a"]\nHEALTHCHECK --interval=5s CMD ["/b"]\n',
      errors: [{ messageId: 'again', line: 3, column: 1 }],
    },
    { code: 'HEALTHCHECK NONE\nHEALTHCHECK NONE\n', errors: [{ messageId: 'again', line: 2 }] },
  ],
});

ruleTester.run(copyMultiDestSlash, {
  valid: [
    'FROM alpine:3.20\nCOPY a.txt /srv/b.txt\n',
    'FROM alpine:3.20\nCOPY a.txt b.txt /srv/\n',
    'FROM alpine:3.20\nCOPY ["a.txt", "b.txt", "/srv/"]\n',
    'FROM alpine:3.20\nCOPY ["a", "b", "/srv dir/"]\n',
  ],
  invalid: [
    {
      code: 'FROM alpine:3.20\nCOPY package.json package-lock.json /srv\n',
      errors: [{ messageId: 'slash', line: 2, column: 37 }],
      output: 'FROM alpine:3.20\nCOPY package.json package-lock.json /srv/\n',
    },
    {
      code: 'FROM alpine:3.20\nADD a b "/srv"\n',
      errors: [{ messageId: 'slash' }],
      output: 'FROM alpine:3.20\nADD a b "/srv/"\n',
    },
    {
      code: 'FROM alpine:3.20\nCOPY ["a", "b", "/my dir"]\n',
      errors: [{ messageId: 'slash' }],
      output: 'FROM alpine:3.20\nCOPY ["a", "b", "/my dir/"]\n',
    },
  ],
});

ruleTester.run(copyFromKnownStage, {
  valid: [
    'FROM golang:1.22 AS build\nFROM alpine:3.20\nCOPY --from=build /out /app\n',
    'FROM golang:1.22\nFROM alpine:3.20\nCOPY --from=0 /out /app\n',
    'FROM alpine:3.20\nCOPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/\n',
    'FROM alpine:3.20\nCOPY --from=ghcr.io/org/tools@sha256:abc /bin/x /bin/\n',
    'FROM alpine:3.20\nCOPY --from=mlocati/php-extension-installer /usr/bin/install-php-extensions /usr/bin/\n',
    'FROM golang:1.22 AS Build\nFROM alpine:3.20\nCOPY --from=build /out /app\n',
  ],
  invalid: [
    {
      code: 'FROM golang:1.22 AS build\nFROM alpine:3.20\nCOPY --from=biuld /out /app\n',
      errors: [{ messageId: 'unknown', line: 3, column: 1 }],
    },
    {
      name: 'defined after',
      code: 'FROM alpine:3.20\nCOPY --from=later /x /x\nFROM alpine:3.20 AS later\n',
      errors: [{ messageId: 'unknown' }],
    },
    {
      name: 'index too high',
      code: 'FROM alpine:3.20\nCOPY --from=1 /x /x\n',
      errors: [{ messageId: 'unknown' }],
    },
  ],
});

ruleTester.run(copyFromSelf, {
  valid: [
    'FROM alpine:3.20 AS a\nFROM alpine:3.20 AS b\nCOPY --from=a /x /x\n',
    'FROM alpine:3.20\nCOPY --from=0 /x /y\n',
  ],
  invalid: [
    {
      code: 'FROM alpine:3.20 AS app\nCOPY --from=app /x /y\n',
      errors: [{ messageId: 'self', line: 2, column: 1 }],
    },
    {
      code: 'FROM alpine:3.20 AS a\nFROM alpine:3.20 AS B\nCOPY --from=b /x /y\n',
      errors: [{ messageId: 'self' }],
    },
  ],
});

ruleTester.run(uniqueStageNames, {
  valid: ['FROM alpine:3.20 AS a\nFROM alpine:3.20 AS b\n', 'FROM alpine:3.20\nFROM alpine:3.20\n'],
  invalid: [
    {
      code: 'FROM alpine:3.20 AS a\nFROM debian:12 AS a\n',
      errors: [{ messageId: 'duplicate', line: 2, column: 1 }],
    },
    { code: 'FROM alpine:3.20 AS Build\nFROM debian:12 AS build\n', errors: [{ messageId: 'duplicate' }] },
  ],
});

ruleTester.run(stageNameReserved, {
  valid: ['FROM alpine:3.20 AS base\n', 'FROM scratch\n'],
  invalid: [
    { code: 'FROM alpine:3.20 AS scratch\n', errors: [{ messageId: 'reserved', line: 1, column: 1 }] },
    { code: 'FROM alpine:3.20 AS context\n', errors: [{ messageId: 'reserved' }] },
  ],
});

ruleTester.run(noFromPlatform, {
  valid: [
    'FROM alpine:3.20\n',
    'FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n',
    'FROM --platform=${TARGETPLATFORM} alpine:3.20\n',
  ],
  invalid: [
    {
      code: 'FROM --platform=linux/amd64 alpine:3.20\n',
      errors: [{ messageId: 'platform', line: 1, column: 1 }],
    },
    { code: 'FROM --platform=$ARCH alpine:3.20\n', errors: [{ messageId: 'platform' }] },
  ],
});

ruleTester.run(fromPlatformRedundant, {
  valid: [
    'FROM alpine:3.20\n',
    'FROM --platform=$BUILDPLATFORM golang:1.22\n',
    'FROM --platform=linux/arm64 alpine:3.20\n',
  ],
  invalid: [
    { code: 'FROM --platform=$TARGETPLATFORM alpine:3.20\n', errors: [{ messageId: 'redundant', line: 1 }] },
    { code: 'FROM --platform=${TARGETPLATFORM} alpine:3.20\n', errors: [{ messageId: 'redundant' }] },
  ],
});

ruleTester.run(copyWholeFilesystem, {
  valid: [
    'FROM alpine:3.20 AS b\nFROM scratch\nCOPY --from=b /app /\n',
    'FROM alpine:3.20 AS b\nFROM scratch\nCOPY --from=b / /rootfs\n',
    'FROM scratch\nCOPY / /\n',
    {
      name: 'an export stage built FROM scratch',
      code: 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM scratch AS binaries\nCOPY --from=build /out/ /\nFROM alpine:3.20\nCOPY --from=binaries / /\n',
    },
  ],
  invalid: [
    {
      code: 'FROM alpine:3.20 AS b\nFROM scratch\nCOPY --from=b / /\n',
      errors: [{ messageId: 'whole', line: 3, column: 1 }],
    },
    {
      code: 'FROM alpine:3.20 AS b\nFROM scratch\nCOPY --from=b "/" "/"\n',
      errors: [{ messageId: 'whole' }],
    },
  ],
});

ruleTester.run(singleCmd, {
  valid: ['FROM alpine:3.20\nCMD ["a"]\n', 'FROM alpine:3.20 AS a\nCMD ["a"]\nFROM alpine:3.20\nCMD ["b"]\n'],
  invalid: [
    {
      code: 'FROM alpine:3.20\nCMD ["a"]\nRUN true\nCMD ["b"]\n',
      errors: [{ messageId: 'again', line: 4, column: 1 }],
    },
    {
      code: 'CMD a\nCMD b\nCMD c\n',
      errors: [
        { messageId: 'again', line: 2 },
        { messageId: 'again', line: 3 },
      ],
    },
  ],
});

ruleTester.run(singleEntrypoint, {
  valid: [
    'FROM alpine:3.20\nENTRYPOINT ["a"]\nCMD ["x"]\n',
    'FROM alpine:3.20 AS a\nENTRYPOINT ["a"]\nFROM a\nENTRYPOINT ["b"]\n',
  ],
  invalid: [
    {
      code: 'FROM alpine:3.20\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]\n',
      errors: [{ messageId: 'again', line: 3, column: 1 }],
    },
  ],
});

ruleTester.run(fromFirst, {
  valid: ['# syntax=docker/dockerfile:1\nARG TAG=3.20\nFROM alpine:${TAG}\nRUN true\n', 'FROM alpine:3.20\n'],
  invalid: [
    { code: 'LABEL a=b\nFROM alpine:3.20\n', errors: [{ messageId: 'order', line: 1, column: 1 }] },
    { code: 'ARG X=1\nENV Y=2\nFROM alpine:3.20\n', errors: [{ messageId: 'order', line: 2 }] },
  ],
});

ruleTester.run(onbuildTrigger, {
  valid: ['FROM alpine:3.20\nONBUILD RUN make\n', 'FROM alpine:3.20\nONBUILD COPY . /src\n'],
  invalid: [
    {
      code: 'FROM alpine:3.20\nONBUILD FROM debian:12\n',
      errors: [{ messageId: 'trigger', line: 2, column: 1 }],
    },
    { code: 'FROM alpine:3.20\nONBUILD ONBUILD RUN x\n', errors: [{ messageId: 'trigger' }] },
    { code: 'FROM alpine:3.20\nONBUILD MAINTAINER me\n', errors: [{ messageId: 'trigger' }] },
  ],
});

ruleTester.run(envSelfReference, {
  valid: [
    'FROM alpine:3.20\nENV A=1\nENV B=$A\n',
    'FROM alpine:3.20\nENV PATH=$PATH:/opt/bin\n',
    'FROM alpine:3.20\nENV A=1 B=$AB\n',
    'FROM alpine:3.20\nARG V\nENV V=${V} W=${V}-x\n',
    'FROM alpine:3.20\nENV A=1\nENV A=2 B=$A\n',
  ],
  invalid: [
    { code: 'FROM alpine:3.20\nENV A=1 B=$A\n', errors: [{ messageId: 'self', line: 2, column: 1 }] },
    { code: 'FROM alpine:3.20\nENV HOME=/srv APP=${HOME}/app\n', errors: [{ messageId: 'self' }] },
    { code: 'FROM alpine:3.20\nENV A=${B:-x} B=2\n', errors: [{ messageId: 'self' }] },
  ],
});

ruleTester.run(copyRelativeDest, {
  valid: [
    'FROM alpine:3.20\nCOPY app /srv/app\n',
    'FROM alpine:3.20\nWORKDIR /srv\nCOPY app .\n',
    'FROM alpine:3.20 AS base\nWORKDIR /srv\nFROM base\nCOPY app ./\n',
    'FROM alpine:3.20\nCOPY app $APP_HOME\n',
    'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY app C:\\app\n',
    'FROM alpine:3.20\nADD app.tar.gz opt\n',
  ],
  invalid: [
    {
      code: 'FROM alpine:3.20\nCOPY app.py app.py\n',
      errors: [{ messageId: 'relative', line: 2, column: 13 }],
    },
    {
      name: 'WORKDIR after the COPY',
      code: 'FROM alpine:3.20\nCOPY . .\nWORKDIR /srv\n',
      errors: [{ messageId: 'relative' }],
    },
    {
      name: 'another stage has the WORKDIR',
      code: 'FROM alpine:3.20 AS a\nWORKDIR /srv\nFROM alpine:3.20\nCOPY x "y"\n',
      errors: [{ messageId: 'relative' }],
    },
  ],
});

ruleTester.run(healthcheckPresent, {
  valid: [
    { code: 'FROM alpine:3.20\nHEALTHCHECK CMD ["/probe"]\n', config: on('healthcheck-present') },
    { code: 'FROM alpine:3.20\nHEALTHCHECK NONE\n', config: on('healthcheck-present') },
    { code: 'FROM alpine:3.20 AS base\nHEALTHCHECK CMD ["/p"]\nFROM base AS app\n', config: on('DL3057') },
    { name: 'off by default', code: 'FROM alpine:3.20\n' },
  ],
  invalid: [
    {
      code: 'FROM alpine:3.20\nRUN true\n',
      config: on('DL3057'),
      errors: [{ messageId: 'missing', line: 1, column: 1 }],
    },
    {
      name: 'only the stage whose chain has none',
      code: 'FROM alpine:3.20 AS a\nFROM a AS b\nHEALTHCHECK NONE\nFROM a AS c\n',
      config: on('healthcheck-present'),
      errors: [{ messageId: 'missing', line: 4 }],
    },
  ],
});

ruleTester.run(consolidateRuns, {
  valid: [
    'FROM alpine:3.20\nRUN apk add --no-cache curl && curl -V\nRUN adduser -D app && mkdir /srv\n',
    'FROM alpine:3.20\nRUN a\nWORKDIR /x\nRUN b\n',
    'FROM alpine:3.20\nRUN --mount=type=cache,target=/root/.cache a\nRUN b\n',
    'FROM alpine:3.20 AS a\nRUN a\nFROM alpine:3.20\nRUN b\n',
  ],
  invalid: [
    {
      code: 'FROM alpine:3.20\nRUN mkdir /srv\nRUN chown 1000 /srv\n',
      errors: [{ messageId: 'consecutive', line: 3, column: 1 }],
    },
    {
      name: 'comments between',
      code: 'RUN a\n# then\nRUN b\n',
      errors: [{ messageId: 'consecutive', line: 3 }],
    },
    {
      name: 'same mount flags',
      code: 'RUN --mount=type=secret,id=t a\nRUN --mount=type=secret,id=t b\n',
      errors: [{ messageId: 'consecutive', line: 2 }],
    },
  ],
});

ruleTester.run(userNumeric, {
  valid: [
    { code: 'FROM alpine:3.20\nUSER 10001\n', config: on('user-numeric') },
    { code: 'FROM alpine:3.20\nUSER 10001:10001\n', config: on('user-numeric') },
    { code: 'FROM alpine:3.20\nARG UID=10001\nUSER ${UID}\n', config: on('DL3066') },
    { name: 'off by default', code: 'FROM alpine:3.20\nUSER app\n' },
  ],
  invalid: [
    {
      code: 'FROM alpine:3.20\nUSER app\n',
      config: on('DL3066'),
      errors: [{ messageId: 'name', line: 2, column: 6 }],
    },
    { code: 'FROM alpine:3.20\nUSER app:app\n', config: on('user-numeric'), errors: [{ messageId: 'name' }] },
  ],
});

ruleTester.run(secretNameInArgEnv, {
  valid: [
    'FROM alpine:3.20\nARG VERSION=1\nENV APP_HOME=/srv PORT=8080\n',
    'FROM alpine:3.20\nENV TOKENIZERS_PARALLELISM=false\n',
  ],
  invalid: [
    { code: 'FROM alpine:3.20\nARG NPM_TOKEN\n', errors: [{ messageId: 'secret', line: 2, column: 5 }] },
    { code: 'FROM alpine:3.20\nENV DB_PASSWORD=$DB_PASSWORD\n', errors: [{ messageId: 'secret' }] },
    { code: 'FROM alpine:3.20\nENV A=1 GITHUB_TOKEN=x\n', errors: [{ messageId: 'secret' }] },
    { code: 'FROM alpine:3.20\nARG registry_username\n', errors: [{ messageId: 'secret' }] },
  ],
});
