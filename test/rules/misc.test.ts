import { rule as dockerfileSyntax } from '../../rules/dockerfile-syntax';
import { rule as execFormCmd } from '../../rules/exec-form-cmd';
import { rule as noAddForLocalFiles } from '../../rules/no-add-for-local-files';
import { rule as noAddUrl } from '../../rules/no-add-url';
import { rule as noChmod777 } from '../../rules/no-chmod-777';
import { rule as noCurlPipeShell } from '../../rules/no-curl-pipe-shell';
import { rule as noDebugFlags } from '../../rules/no-debug-flags';
import { rule as noDownloadExec } from '../../rules/no-download-exec';
import { rule as noMaintainer } from '../../rules/no-maintainer';
import { rule as noSecretInEnv } from '../../rules/no-secret-in-env';
import { rule as noSsh } from '../../rules/no-ssh';
import { rule as noSudo } from '../../rules/no-sudo';
import { rule as requirePipefail } from '../../rules/require-pipefail';
import { ruleTester } from '../harness/rule-tester';

ruleTester.run(noAddForLocalFiles, {
  valid: [
    'ADD file.tar /usr/src/app/\n',
    'ADD http://file.com /usr/src/app/\n',
    'ADD "file.tgz" /usr/src/app/\n',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nADD file /usr/src/app/\n',
      errors: [{ messageId: 'add', line: 2, column: 1 }],
      output: 'FROM debian:12\nCOPY file /usr/src/app/\n',
    },
    {
      code: 'FROM debian:12\nadd --chown=a:b "file.zip" /x/\n',
      errors: [{ messageId: 'add' }],
      output: 'FROM debian:12\ncopy --chown=a:b "file.zip" /x/\n',
    },
  ],
});

ruleTester.run(noAddUrl, {
  valid: ['ADD --checksum=sha256:abc https://example.com/x.tgz /x\n', 'ADD x /x\n'],
  invalid: [
    { code: 'ADD https://example.com/x.tgz /x\n', errors: [{ messageId: 'url', line: 1, column: 5 }] },
  ],
});

ruleTester.run(noCurlPipeShell, {
  valid: [
    'RUN curl -fsSLo install.sh https://x && sha256sum -c sums && sh install.sh\n',
    'RUN curl -s https://x | tar xz\n',
  ],
  invalid: [
    {
      code: 'RUN curl -fsSL https://get.example.com | sudo -E bash -\n',
      errors: [{ messageId: 'pipe', line: 1, column: 42 }],
    },
    { code: 'RUN wget -qO- https://x | sh\n', errors: [{ messageId: 'pipe' }] },
    { code: 'RUN sh -c "$(curl -fsSL https://x)"\n', errors: [{ messageId: 'pipe' }] },
    { code: 'RUN bash <(curl -s https://x)\n', errors: [{ messageId: 'pipe' }] },
  ],
});

ruleTester.run(noDownloadExec, {
  valid: [
    'RUN curl -fsSLo /usr/local/bin/tool https://x/tool && echo "abc  /usr/local/bin/tool" | sha256sum -c - && chmod +x /usr/local/bin/tool\n',
    'RUN curl -fsSLo /tmp/data.json https://x/data.json && chmod 644 /tmp/data.json\n',
    'RUN chmod +x /usr/local/bin/entry.sh\n',
    'RUN wget -q https://x/tool.tar.gz && tar xzf tool.tar.gz && chmod +x other\n',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN curl -fsSL -o /usr/local/bin/kubectl https://dl.example/kubectl \\\n && chmod +x /usr/local/bin/kubectl\n',
      errors: [{ messageId: 'unverified', line: 3, column: 5 }],
    },
    {
      code: 'RUN wget -O /usr/bin/helper https://x/helper && chmod 0755 /usr/bin/helper\n',
      errors: [{ messageId: 'unverified' }],
    },
    { code: 'RUN curl -LO https://x/v1/tool && chmod a+rx tool\n', errors: [{ messageId: 'unverified' }] },
    {
      code: 'RUN wget https://x/miner && chmod u+x ./miner && ./miner\n',
      errors: [{ messageId: 'unverified' }],
    },
  ],
});

ruleTester.run(requirePipefail, {
  valid: [
    'FROM scratch as build\nRUN wget -O - https://some.site && wc -l file > /number\n',
    'FROM scratch as build\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN wget -O - https://some.site | wc -l file > /number\n',
    'FROM scratch\nSHELL ["/usr/local/bin/zsh", "-o", "pipefail", "-c"]\nRUN a | b\n',
    'FROM mcr.microsoft.com/powershell:ubuntu-16.04\nSHELL [ "pwsh", "-c" ]\nRUN Get-Variable PSVersionTable | Select-Object -ExpandProperty Value\n',
  ],
  invalid: [
    {
      code: 'FROM debian:12\n# fetch\nRUN curl -fsSL https://x | tar xz\nRUN a | b\n',
      errors: [
        { messageId: 'pipe', line: 3 },
        { messageId: 'pipe', line: 4 },
      ],
      output:
        'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n# fetch\nRUN curl -fsSL https://x | tar xz\nRUN a | b\n',
    },
    {
      name: 'sh does not count',
      code: 'FROM alpine:3.19\nSHELL ["/bin/sh", "-o", "pipefail", "-c"]\nRUN a | b\n',
      errors: [{ messageId: 'pipe', line: 3 }],
      output:
        'FROM alpine:3.19\nSHELL ["/bin/sh", "-o", "pipefail", "-c"]\nSHELL ["/bin/ash", "-o", "pipefail", "-c"]\nRUN a | b\n',
    },
  ],
});

ruleTester.run(execFormCmd, {
  valid: [
    'FROM scratch\nCMD ["foo", "bar"]\n',
    'FROM scratch\nENTRYPOINT [ "foo", "bar" ]\n',
    // A probe in shell form where the image has a shell: what Docker documents, and nothing signals it.
    'FROM python:3.11\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n',
    'FROM example.com/app:1\nRUN ./setup\nHEALTHCHECK --interval=5s CMD /probe | grep -q ok\n',
    'FROM example.com/app:1 AS base\nRUN ./setup\nFROM base\nHEALTHCHECK CMD /probe\n',
    'FROM gcr.io/distroless/static-debian12\nHEALTHCHECK CMD ["/probe"]\n',
    'FROM scratch\nHEALTHCHECK NONE\n',
    // The SHELL instruction names the shell the probe runs under.
    'FROM gcr.io/distroless/base-debian12:debug\nSHELL ["/busybox/sh", "-c"]\nHEALTHCHECK CMD /probe\n',
    // JSON across a continuation with a comment line inside: still exec form.
    'FROM scratch\nHEALTHCHECK CMD ["/app", \\\n# the flag\n  "--health"]\n',
  ],
  invalid: [
    {
      name: 'a probe in an image with no shell: plain words to exec form, the trailing `|| exit 1` dropped',
      code: 'FROM gcr.io/distroless/python3-debian12\nHEALTHCHECK --interval=30s CMD python3 /app/probe.py --port "8000" || exit 1\n',
      errors: [{ messageId: 'healthcheck', line: 2, column: 1 }],
      output:
        'FROM gcr.io/distroless/python3-debian12\nHEALTHCHECK --interval=30s CMD ["python3", "/app/probe.py", "--port", "8000"]\n',
    },
    {
      name: 'a probe over continuation lines, in an image no shell-form RUN ran in',
      code: 'FROM example.com/app:1\nCOPY probe /probe\nHEALTHCHECK --interval=5s \\\n  CMD /probe \\\n  --quick\n',
      errors: [{ messageId: 'healthcheck', line: 3 }],
      output:
        'FROM example.com/app:1\nCOPY probe /probe\nHEALTHCHECK --interval=5s \\\n  CMD ["/probe", "--quick"]\n',
    },
    {
      name: 'an ONBUILD probe of an image with no shell',
      code: 'FROM scratch\nONBUILD HEALTHCHECK CMD /probe\n',
      errors: [{ messageId: 'healthcheck' }],
      output: 'FROM scratch\nONBUILD HEALTHCHECK CMD ["/probe"]\n',
    },
    {
      name: 'JSON followed by more text is no exec form: Docker runs it in the shell',
      code: 'FROM scratch\nHEALTHCHECK CMD ["/probe"] || exit 1\n',
      errors: [{ messageId: 'healthcheck' }],
      output: null,
    },
    {
      name: 'a probe under the escape directive of Windows is left alone',
      code: '# escape=`\nFROM example.com/win:1\nHEALTHCHECK CMD C:\\app\\probe.exe\n',
      errors: [{ messageId: 'healthcheck' }],
      output: null,
    },
    ...[
      '/probe --port $PORT',
      '/probe | grep -q ok',
      '/probe > /dev/null',
      '/probe || exit 2',
      '/probe || /fallback',
      'cd /srv',
    ].map((probe) => ({
      name: `a probe that needs the shell stays: ${probe}`,
      code: `FROM scratch\nHEALTHCHECK CMD ${probe}\n`,
      errors: [{ messageId: 'healthcheck' }],
      output: null,
    })),
    {
      code: 'FROM node:20\nCMD node server.js --port "8080"\n',
      errors: [{ messageId: 'shellForm', line: 2, column: 1 }],
      output: 'FROM node:20\nCMD ["node", "server.js", "--port", "8080"]\n',
    },
    {
      name: 'variables need a shell: it runs the one command with exec, so that it is PID 1',
      code: 'FROM node:20\nCMD node server.js --port $PORT\n',
      errors: [{ messageId: 'shellForm' }],
      output: 'FROM node:20\nCMD ["/bin/sh", "-c", "exec node server.js --port $PORT"]\n',
    },
    {
      name: "a redirection under the stage's SHELL: that shell runs it",
      code: 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nCMD exec ./serve > /var/log/serve.log 2>&1\n',
      errors: [{ messageId: 'shellForm' }],
      output:
        'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nCMD ["/bin/bash", "-o", "pipefail", "-c", "exec ./serve > /var/log/serve.log 2>&1"]\n',
    },
    {
      name: 'a builtin stays in shell form',
      code: 'FROM node:20\nCMD cd /app\n',
      errors: [{ messageId: 'shellForm' }],
      output: null,
    },
    {
      name: 'operators need a shell',
      code: 'FROM node:20\nCMD migrate && serve\n',
      errors: [{ messageId: 'shellForm' }],
      output: null,
    },
    {
      name: 'ENTRYPOINT with a CMD in the stage',
      code: 'FROM node:20\nENTRYPOINT node server.js\nCMD ["--x"]\n',
      errors: [{ messageId: 'shellForm' }],
      output: null,
    },
  ],
});

ruleTester.run(noSecretInEnv, {
  valid: [
    'ENV DB_PASSWORD_FILE=/run/secrets/db\n',
    'ARG API_TOKEN\n',
    'ENV TOKEN=$TOKEN\n',
    'ENV PASSWORD=""\n',
  ],
  invalid: [
    {
      code: 'ENV AWS_SECRET_ACCESS_KEY=AKIAxxxxsecret\n',
      errors: [{ messageId: 'secret', line: 1, column: 5 }],
    },
    {
      code: 'ARG GITHUB_TOKEN=ghp_123456\nENV DB_PASSWORD hunter2\n',
      errors: [
        { messageId: 'secret', line: 1 },
        { messageId: 'secret', line: 2 },
      ],
    },
  ],
});

ruleTester.run(noDebugFlags, {
  valid: [
    'FROM node:20\nENV NODE_ENV=production\n',
    'FROM node:20 AS build\nENV NODE_ENV=development\nFROM node:20-slim\n',
  ],
  invalid: [
    {
      code: 'FROM python:3.12-slim\nENV FLASK_DEBUG=1 DEBUG="True"\n',
      errors: [
        { messageId: 'debug', line: 2, column: 17 },
        { messageId: 'debug', line: 2, column: 26 },
      ],
      output: 'FROM python:3.12-slim\nENV FLASK_DEBUG=0 DEBUG="False"\n',
    },
    {
      code: 'FROM node:20\nENV NODE_ENV development\n',
      errors: [{ messageId: 'debug' }],
      output: 'FROM node:20\nENV NODE_ENV production\n',
    },
  ],
});

ruleTester.run(noSsh, {
  valid: ['EXPOSE 80 443\n', 'RUN apt-get install -y openssh-client\n'],
  invalid: [
    { code: 'EXPOSE 80 22/tcp\n', errors: [{ messageId: 'port', line: 1, column: 11 }] },
    { code: 'RUN apt-get install -y openssh-server\n', errors: [{ messageId: 'server' }] },
  ],
});

ruleTester.run(noChmod777, {
  valid: ['RUN chmod 755 /app\n', 'RUN chmod -R u+w /app\n', 'RUN chmod 0644 f\n'],
  invalid: [
    { code: 'RUN chmod -R 777 /app\n', errors: [{ messageId: 'mode', line: 1, column: 14 }] },
    {
      code: 'RUN chmod a+rwx /tmp/x && chmod o+w y\n',
      errors: [{ messageId: 'mode' }, { messageId: 'mode' }],
    },
  ],
});

ruleTester.run(noSudo, {
  valid: ['RUN apt-get install -y sudo-less\n'],
  invalid: [{ code: 'RUN sudo apt-get update\n', errors: [{ messageId: 'sudo', line: 1, column: 5 }] }],
});

ruleTester.run(noMaintainer, {
  valid: ['LABEL maintainer="a@b.c"\n'],
  invalid: [
    {
      code: 'FROM debian:12\nMAINTAINER Jane "JD" Doe <jane@example.com>\n',
      errors: [{ messageId: 'maintainer', line: 2, column: 1 }],
      output: 'FROM debian:12\nLABEL maintainer="Jane \\"JD\\" Doe <jane@example.com>"\n',
    },
    {
      code: 'from debian:12\nmaintainer jane\n',
      errors: [{ messageId: 'maintainer' }],
      output: 'from debian:12\nlabel maintainer="jane"\n',
    },
  ],
});

ruleTester.run(dockerfileSyntax, {
  valid: ['ARG X=1\nFROM debian:12\n'],
  invalid: [
    {
      code: 'RUN echo hi\n',
      errors: [
        { messageId: 'beforeFrom', line: 1 },
        { messageId: 'noFrom', line: 1 },
      ],
    },
    { code: 'FROM debian:12\nRUNN echo\n', errors: [{ messageId: 'unknown', line: 2 }] },
  ],
});
