import { rule as aptAssumeYes } from '../../rules/apt-assume-yes';
import { rule as aptCleanLists } from '../../rules/apt-clean-lists';
import { rule as aptGetNotApt } from '../../rules/apt-get-not-apt';
import { rule as aptNoInstallRecommends } from '../../rules/apt-no-install-recommends';
import { rule as aptPinVersions } from '../../rules/apt-pin-versions';
import { rule as aptSnapshotSource } from '../../rules/apt-snapshot-source';
import { rule as aptUpdateWithInstall } from '../../rules/apt-update-with-install';
import { ruleTester } from '../harness/rule-tester';

ruleTester.run(aptPinVersions, {
  valid: [
    'FROM debian:12-slim\nRUN apt-get install -y curl=7.88.1-10\n',
    'FROM debian:12\nRUN apt-get install ./pkg_1.0_amd64.deb\n',
    'FROM debian:12\nRUN apt-get install -y -t bookworm-backports openjdk-17-jdk=17.0.9\n',
  ],
  invalid: [
    {
      code: 'FROM debian:12-slim\nRUN apt-get install -y curl\n',
      errors: [{ messageId: 'unpinned', line: 2, column: 24 }],
      resolutions: { 'apt-version:debian:bookworm:curl': '7.88.1-10' },
      output: 'FROM debian:12-slim\nRUN apt-get install -y curl=7.88.1-10\n',
    },
    {
      name: 'arch-qualified, JSON form, CRLF',
      code: 'FROM ubuntu:jammy\r\nRUN ["apt-get", "install", "-y", "libc6:amd64"]\r\n',
      errors: [{ messageId: 'unpinned', line: 2, column: 35 }],
      resolutions: { 'apt-version:ubuntu:jammy:libc6:amd64': '2.35-0ubuntu3.8' },
      output: 'FROM ubuntu:jammy\r\nRUN ["apt-get", "install", "-y", "libc6:amd64=2.35-0ubuntu3.8"]\r\n',
    },
    {
      name: 'unknown package stays a finding',
      code: 'FROM debian:bookworm\nRUN apt-get install -y nosuchpkg\n',
      errors: [{ messageId: 'unpinned' }],
      output: null,
    },
    {
      name: 'release unknown: no look-up, no pin',
      code: 'FROM myorg/base\nRUN apt-get install -y curl\n',
      errors: [{ messageId: 'unpinned' }],
      output: null,
    },
  ],
});

ruleTester.run(aptNoInstallRecommends, {
  valid: [
    'RUN apt-get install --no-install-recommends python\n',
    'RUN apt-get -o APT::Install-Recommends=false install ca-certificates\n',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get -y install python3 # comment\n',
      errors: [{ messageId: 'recommends', line: 2, column: 16 }],
      output: 'FROM debian:12\nRUN apt-get -y install --no-install-recommends python3 # comment\n',
    },
  ],
});

ruleTester.run(aptAssumeYes, {
  valid: [
    'RUN apt-get install -yq ca-certificates\n',
    'RUN apt-get install -qq ca-certificates\n',
    'RUN apt-get --assume-yes install x\n',
    'RUN apt-get -q -q install tzdata\n',
    'RUN apt-get install -q=2 tzdata\n',
    'RUN apt-get --quiet --quiet install tzdata\n',
    'RUN apt-get --quiet=2 install tzdata\n',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nrun apt-get update && \\\n    apt-get install curl\n',
      errors: [{ messageId: 'noYes', line: 3, column: 13 }],
      output: 'FROM debian:12\nrun apt-get update && \\\n    apt-get install -y curl\n',
    },
    {
      name: 'one -q is not enough',
      code: 'FROM debian:12\nRUN apt-get -q install tzdata\n',
      errors: [{ messageId: 'noYes' }],
      output: 'FROM debian:12\nRUN apt-get -q install -y tzdata\n',
    },
  ],
});

ruleTester.run(aptCleanLists, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n',
    'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y x\nFROM scratch\nCOPY --from=build /x /x\n',
    'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y x\n',
    {
      name: 'cache mounts on both apt folders (the BuildKit recipe)',
      code:
        'FROM debian:12\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\n' +
        'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n' +
        '    --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n' +
        '    apt-get update && apt-get install -y --no-install-recommends git\n',
    },
    {
      name: 'tmpfs on the lists',
      code: 'FROM debian:12\nRUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y x\n',
    },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl\nCMD ["curl"]\n',
      errors: [{ messageId: 'lists', line: 2, column: 1 }],
      output:
        'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nCMD ["curl"]\n',
    },
    {
      name: 'a heredoc script: chained to its last statement, so that a failed install still fails the RUN',
      code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n',
      errors: [{ messageId: 'lists', line: 2 }],
      output:
        'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl && rm -rf /var/lib/apt/lists/*\nEOF\n',
    },
    {
      name: 'a cache mount on one apt folder only',
      code: 'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y git\n',
      errors: [{ messageId: 'lists' }],
      output:
        'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'a later RUN that installs from the lists this one leaves updates for itself, from the same sources',
      code: 'FROM debian:12\nRUN apt-get update -qq && apt-get install -y cmake\nRUN pip install x\n\n# GL\nRUN apt-get install -y libgl1\n',
      errors: [{ messageId: 'lists', line: 2 }],
      output:
        'FROM debian:12\nRUN apt-get update -qq && apt-get install -y cmake && rm -rf /var/lib/apt/lists/*\nRUN pip install x\n\n# GL\n' +
        'RUN apt-get update -qq && apt-get install -y libgl1 && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'an update through sudo is repeated as the reader runs apt: as its own user',
      code: 'FROM debian:12\nRUN sudo apt-get update && sudo apt-get install -y a\n\nRUN apt-get install -y x\n',
      errors: [{ messageId: 'lists', line: 2 }],
      output:
        'FROM debian:12\nRUN sudo apt-get update && sudo apt-get install -y a && rm -rf /var/lib/apt/lists/*\n\n' +
        'RUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'a RUN that installs before its own update reads the lists too',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y a\n\nRUN apt-get install -y gnupg && apt-get update && apt-get install -y b\n',
      errors: [
        { messageId: 'lists', line: 2 },
        { messageId: 'lists', line: 4 },
      ],
      output:
        'FROM debian:12\nRUN apt-get update && apt-get install -y a && rm -rf /var/lib/apt/lists/*\n\n' +
        'RUN apt-get update && apt-get install -y gnupg && apt-get update && apt-get install -y b && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'a reader whose body starts after a comment line (Docker drops the comment) is seen',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y a\nRUN \\\n  # b, from the same lists\n  apt-get install -y b\n',
      errors: [{ messageId: 'lists', line: 2 }],
      output:
        'FROM debian:12\nRUN apt-get update && apt-get install -y a && rm -rf /var/lib/apt/lists/*\nRUN \\\n  # b, from the same lists\n' +
        '  apt-get update && apt-get install -y b && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'each later reader updates for itself, an upgrade included',
      code: 'FROM debian:12\nRUN apt-get update && apt-get upgrade -y\n\nRUN apt-get install -y a\nRUN make\nRUN DEBIAN_FRONTEND=noninteractive apt-get install -y b\n',
      errors: [{ messageId: 'lists', line: 2 }],
      output:
        'FROM debian:12\nRUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*\n\n' +
        'RUN apt-get update && apt-get install -y a && rm -rf /var/lib/apt/lists/*\nRUN make\n' +
        'RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y b && rm -rf /var/lib/apt/lists/*\n',
    },
    ...[
      [
        'the apt sources change in between (fresh lists would hold another source)',
        'RUN echo "deb http://example.org/debian stable main" > /etc/apt/sources.list.d/x.list\n',
      ],
      [
        'a script piped to a shell in between (it may add sources)',
        'RUN curl -fsSL https://example.org/setup | bash -\n',
      ],
      ['a key in between', 'RUN apt-key add /tmp/key.asc\n'],
      ['a repository added in between', 'RUN apt-add-repository -y ppa:x/y\n'],
      ['a script piped to sudo -E bash', 'RUN curl -fsSL https://example.org/setup | sudo -E bash -\n'],
      ['a script run by its path', 'RUN /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y\n'],
      ['a package installed by dpkg (a keyring adds sources)', 'RUN dpkg -i /tmp/cuda-keyring.deb\n'],
      ['a folder copied onto /', 'COPY rootfs/ /\n'],
      ['a file copied into a WORKDIR under /etc', 'WORKDIR /etc/apt/sources.list.d\nCOPY x.list .\n'],
      ['a file copied into /etc/apt in between', 'COPY x.list /etc/apt/sources.list.d/\n'],
      ['another user in between', 'USER app\n'],
    ].map(([name, between]) => ({
      name: `no update added: ${name}`,
      code: `FROM debian:12\nRUN apt-get update && apt-get install -y ca-certificates\n${between}RUN apt-get install -y x\n`,
      errors: [{ messageId: 'lists' as const, line: 2 }],
      output: null,
    })),
    ...[
      [
        'the update runs with a variable set for it (a proxy)',
        'RUN http_proxy=http://proxy:3128 apt-get update && apt-get install -y a\n\nRUN apt-get install -y x\n',
      ],
      [
        'the update gets its proxy from an export',
        'RUN export http_proxy=http://proxy:3128 && apt-get update && apt-get install -y a\n\nRUN apt-get install -y x\n',
      ],
      [
        'sudo sets a variable for the update',
        'RUN sudo http_proxy=http://proxy:3128 apt-get update && apt-get install -y a\n\nRUN apt-get install -y x\n',
      ],
      [
        'the RUN mounts what its update reads',
        'RUN --mount=type=secret,id=auth,target=/etc/apt/auth.conf apt-get update && apt-get install -y a\n\nRUN apt-get install -y x\n',
      ],
      [
        'the update may fail',
        'RUN apt-get update || true && apt-get install -y a\n\nRUN apt-get install -y x\n',
      ],
      [
        'the update runs in a branch',
        'RUN if [ -n "$U" ]; then apt-get update; fi && apt-get install -y a\n\nRUN apt-get install -y x\n',
      ],
      [
        'the RUN changes the sources after its update',
        'RUN echo "deb http://x stable main" > /etc/apt/sources.list.d/x.list && apt-get update && apt-get install -y a && rm /etc/apt/sources.list.d/x.list\n\nRUN apt-get install -y x\n',
      ],
      [
        'the reader is an ONBUILD trigger (it runs after this stage, in another image)',
        'RUN apt-get update && apt-get install -y a\nONBUILD RUN apt-get install -y x\n',
      ],
      [
        'the reader runs apt through sudo',
        'RUN apt-get update && apt-get install -y a\n\nRUN sudo apt-get install -y x\n',
      ],
      [
        'the reader runs apt in a branch',
        'RUN apt-get update && apt-get install -y a\n\nRUN if [ -n "$X" ]; then apt-get install -y x; fi\n',
      ],
      [
        'the reader goes on after a failure',
        'RUN apt-get update && apt-get install -y a\n\nRUN apt-get install -y x || true\n',
      ],
      [
        'the reader has a flag',
        'RUN apt-get update && apt-get install -y a\n\nRUN --network=host apt-get install -y x\n',
      ],
    ].map(([name, body]) => ({
      name: `no update added: ${name}`,
      code: `FROM debian:12\n${body}`,
      errors: [{ messageId: 'lists' as const, line: 2 }],
      output: null,
    })),
    {
      name: 'readers in the stages built on this one update for themselves, a sibling stage too',
      code:
        'FROM debian:12 AS base\nRUN apt-get update && apt-get install -y a\nFROM base AS one\nRUN apt-get install -y b\n' +
        'FROM base\nCOPY x.list /etc/apt/sources.list.d/\nRUN apt-get install -y c\n',
      errors: [{ messageId: 'lists', line: 2 }],
      output: null,
    },
    {
      name: 'a stage built on this one updates for itself; a stage on another base does not count',
      code:
        'FROM debian:12 AS base\nRUN apt-get update && apt-get install -y a\nFROM debian:12 AS other\nRUN apt-get install -y z\n' +
        'FROM base AS one\nRUN apt-get install -y b\nFROM one\nRUN apt-get install -y c\n',
      errors: [{ messageId: 'lists', line: 2 }],
      output:
        'FROM debian:12 AS base\nRUN apt-get update && apt-get install -y a && rm -rf /var/lib/apt/lists/*\nFROM debian:12 AS other\nRUN apt-get install -y z\n' +
        'FROM base AS one\nRUN apt-get update && apt-get install -y b && rm -rf /var/lib/apt/lists/*\nFROM one\n' +
        'RUN apt-get update && apt-get install -y c && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'a lone update joins the install on the next line, which removes the lists at its end',
      code: 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\nCMD ["curl"]\n',
      errors: [{ messageId: 'lists', line: 2 }],
      output:
        'FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nCMD ["curl"]\n',
    },
    {
      name: 'joined in the file’s line endings, an update and an upgrade with an install and more',
      code: 'FROM debian:12\r\n  run apt-get update -y && apt-get upgrade -y\r\n  run apt-get install -y gcc && make\r\n',
      errors: [{ messageId: 'lists', line: 2 }],
      output:
        'FROM debian:12\r\n  run apt-get update -y && apt-get upgrade -y \\\r\n    && apt-get install -y gcc && make && rm -rf /var/lib/apt/lists/*\r\n',
    },
    ...[
      [
        'the first RUN runs more than apt (its directory would carry over)',
        'RUN cd /tmp && apt-get update\nRUN apt-get install -y ./x.deb\n',
      ],
      ['a comment stands between them', 'RUN apt-get update\n# the tools\nRUN apt-get install -y curl\n'],
      [
        'a comment ends the first (it would swallow the install)',
        'RUN apt-get update # refresh\nRUN apt-get install -y curl\n',
      ],
      ['the install goes on after a failure', 'RUN apt-get update\nRUN apt-get install -y curl || true\n'],
      ['the next RUN has a flag', 'RUN apt-get update\nRUN --network=host apt-get install -y a\n'],
    ].map(([name, body]) => ({
      name: `not joined: ${name}`,
      code: `FROM debian:12\n${body}`,
      errors: [{ messageId: 'lists' as const, line: 2 }],
      output: null,
    })),
    {
      name: 'joined with the next RUN, and a RUN installing after the joined one updates for itself',
      code: 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y a\nRUN apt-get install -y b\n',
      errors: [{ messageId: 'lists', line: 2 }],
      output:
        'FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y a && rm -rf /var/lib/apt/lists/*\n' +
        'RUN apt-get update && apt-get install -y b && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'a later RUN that updates reads its own lists: both are cleaned',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y a\nRUN apt-get update && apt-get install -y b\n',
      errors: [
        { messageId: 'lists', line: 2 },
        { messageId: 'lists', line: 3 },
      ],
      output:
        'FROM debian:12\nRUN apt-get update && apt-get install -y a && rm -rf /var/lib/apt/lists/*\n' +
        'RUN apt-get update && apt-get install -y b && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'apt and aptitude download lists too',
      code: 'FROM ubuntu:24.04\nRUN apt update && apt install -y jq\nRUN aptitude update && aptitude install -y jq\n',
      errors: [
        { messageId: 'lists', line: 2 },
        { messageId: 'lists', line: 3 },
      ],
      output:
        'FROM ubuntu:24.04\nRUN apt update && apt install -y jq && rm -rf /var/lib/apt/lists/*\n' +
        'RUN aptitude update && aptitude install -y jq && rm -rf /var/lib/apt/lists/*\n',
    },
    {
      name: 'an ONBUILD trigger counts even in a stage nothing builds on',
      code: 'FROM debian:12 AS template\nONBUILD RUN apt-get update && apt-get install -y git\nFROM scratch\n',
      errors: [{ messageId: 'lists', line: 2, column: 9 }],
      output:
        'FROM debian:12 AS template\nONBUILD RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\nFROM scratch\n',
    },
  ],
});

ruleTester.run(aptGetNotApt, {
  valid: ['RUN apt-get install -y x\n', 'RUN echo apt\n'],
  invalid: [
    {
      code: 'FROM ubuntu:22.04\nRUN apt update && apt install -y curl\n',
      errors: [
        { messageId: 'apt', line: 2, column: 5 },
        { messageId: 'apt', line: 2, column: 19 },
      ],
      output: 'FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y curl\n',
    },
    {
      code: 'FROM ubuntu:22.04\nRUN apt list --installed\n',
      errors: [{ messageId: 'apt' }],
      output: null,
    },
  ],
});

ruleTester.run(aptUpdateWithInstall, {
  valid: ['RUN apt-get update && apt-get install -y x\n'],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y x\n',
      errors: [{ messageId: 'alone', line: 2 }],
    },
  ],
});

const SNAPSHOT =
  'deb [check-valid-until=no] http://snap.test/debian/20240110T120000Z bookworm main\ndeb [check-valid-until=no] http://snap.test/debian-security/20240110T120000Z bookworm-security main';

ruleTester.run(aptSnapshotSource, {
  valid: [
    {
      name: 'off unless the policy asks',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y x=1\n',
    },
    {
      config: { pinPolicy: { apk: 'exact', apt: 'snapshot' } },
      code: 'FROM ubuntu:22.04\nRUN apt-get update\n',
    },
  ],
  invalid: [
    {
      config: { pinPolicy: { apk: 'exact', apt: 'snapshot' } },
      code: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl=7.88.1-10+deb12u8\n',
      errors: [{ messageId: 'noSnapshot', line: 2, column: 5 }],
      resolutions: { 'apt-snapshot:debian:bookworm': SNAPSHOT },
      output:
        "FROM debian:bookworm-slim\nRUN printf '%s\\n' 'deb [check-valid-until=no] http://snap.test/debian/20240110T120000Z bookworm main' " +
        "'deb [check-valid-until=no] http://snap.test/debian-security/20240110T120000Z bookworm-security main' " +
        '> /etc/apt/sources.list.d/snapshot.list && apt-get update && apt-get install -y curl=7.88.1-10+deb12u8\n',
    },
  ],
});
