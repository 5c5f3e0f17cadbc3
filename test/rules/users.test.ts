import { rule as noRootUser } from '../../rules/no-root-user';
import { rule as runAsNonRoot } from '../../rules/run-as-non-root';
import { ruleTester } from '../harness/rule-tester';

ruleTester.run(noRootUser, {
  valid: [
    'FROM scratch\nUSER foo\n',
    'FROM scratch\nUSER root\nRUN something\nUSER foo\n',
    'FROM debian as base\nUSER root\nRUN something\nUSER foo\nFROM scratch\nRUN something else\n',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get update\nUSER root\nCMD ["bash"]\n',
      errors: [{ messageId: 'root', line: 3, column: 6 }],
      output:
        'FROM debian:12\nRUN apt-get update\nUSER root\n' +
        'RUN groupadd --system app && useradd --system --gid app --create-home app\nUSER app\nCMD ["bash"]\n',
    },
    {
      name: 'uid 0',
      code: 'FROM scratch\nUSER 0:0\n',
      errors: [{ messageId: 'root' }],
      output: 'FROM scratch\nUSER 0:0\nUSER 65532:65532\n',
    },
    {
      name: 'build stage: reported, left alone',
      code: 'FROM debian:12 AS base\nUSER root\nFROM scratch\nUSER 1000\n',
      errors: [{ messageId: 'root', line: 2 }],
      output: null,
    },
  ],
});

ruleTester.run(runAsNonRoot, {
  valid: [
    'FROM node:20\nUSER node\n',
    'FROM debian:12 AS a\nUSER app\nFROM a\nCMD ["x"]\n',
    'FROM gcr.io/distroless/static:nonroot\n',
    '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n',
  ],
  invalid: [
    {
      name: 'debian: user created after the last RUN, later COPY chowned',
      code: 'FROM python:3.12-slim\nWORKDIR /app\nRUN pip install --no-cache-dir flask==3.0.3\nCOPY . .\nCOPY conf /etc/app/\nCMD ["python", "app.py"]\n',
      errors: [{ messageId: 'noUser', line: 1, column: 6 }],
      output:
        'FROM python:3.12-slim\nWORKDIR /app\nRUN pip install --no-cache-dir flask==3.0.3\n' +
        'RUN groupadd --system app && useradd --system --gid app --create-home app\nUSER app\n' +
        'COPY --chown=app:app . .\nCOPY conf /etc/app/\nCMD ["python", "app.py"]\n',
    },
    {
      name: 'alpine, CRLF, lowercase keywords',
      code: 'from alpine:3.19\r\nrun apk add --no-cache curl\r\ncmd ["curl"]\r\n',
      errors: [{ messageId: 'noUser' }],
      output:
        'from alpine:3.19\r\nrun apk add --no-cache curl\r\nrun addgroup -S app && adduser -S -G app app\r\nuser app\r\ncmd ["curl"]\r\n',
    },
    {
      name: 'node ships its own user',
      code: 'FROM node:20-slim\nWORKDIR /srv\nCOPY . .\nCMD ["node", "index.js"]',
      errors: [{ messageId: 'noUser' }],
      output:
        'FROM node:20-slim\nUSER node\nWORKDIR /srv\nCOPY --chown=node:node . .\nCMD ["node", "index.js"]',
    },
    {
      name: 'multi-stage to scratch',
      code: 'FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n',
      errors: [{ messageId: 'noUser', line: 3 }],
      output:
        'FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nUSER 65532:65532\n' +
        'COPY --chown=65532:65532 --from=build /app /app\nENTRYPOINT ["/app"]\n',
    },
    {
      name: 'distroless',
      code: 'FROM gcr.io/distroless/python3-debian12\nCOPY app.py /app.py\n',
      errors: [{ messageId: 'noUser' }],
      output:
        'FROM gcr.io/distroless/python3-debian12\nUSER nonroot:nonroot\nCOPY --chown=nonroot:nonroot app.py /app.py\n',
    },
    {
      name: 'reuses a user the stage creates',
      code: 'FROM debian:12\nRUN useradd -m -u 1001 worker\nCMD ["run"]\n',
      errors: [{ messageId: 'noUser' }],
      output: 'FROM debian:12\nRUN useradd -m -u 1001 worker\nUSER worker\nCMD ["run"]\n',
    },
    {
      name: 'unknown OS',
      code: 'FROM myorg/base:1\nCMD ["x"]\n',
      errors: [{ messageId: 'noUser' }],
      output: null,
    },
  ],
});
