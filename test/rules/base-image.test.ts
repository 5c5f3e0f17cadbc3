import { rule as baseImageSpecificTag } from '../../rules/base-image-specific-tag';
import { rule as baseImageTagged } from '../../rules/base-image-tagged';
import { rule as noLatestTag } from '../../rules/no-latest-tag';
import { rule as pinBaseImageDigest } from '../../rules/pin-base-image-digest';
import { rule as preferSlimBase } from '../../rules/prefer-slim-base';
import { rule as trustedBaseRegistry } from '../../rules/trusted-base-registry';
import { ruleTester } from '../harness/rule-tester';

const DIGEST = `sha256:${'a'.repeat(64)}`;

ruleTester.run(baseImageTagged, {
  valid: [
    'FROM debian:12\n',
    'FROM scratch\n',
    `FROM ruby@${DIGEST}\n`,
    'FROM golang:1.22 AS b\nFROM b\n',
    'FROM ${VALUE}\n',
  ],
  invalid: [
    {
      code: 'FROM debian AS base\n',
      errors: [{ messageId: 'untagged', line: 1, column: 6 }],
      resolutions: { 'oci-tags:docker.io/library/debian:': '12.5' },
      output: 'FROM debian:12.5 AS base\n',
    },
    {
      name: 'finding and fix land on the ARG line',
      code: 'ARG BASE=node\nFROM ${BASE}\n',
      errors: [{ messageId: 'untagged', line: 1, column: 10 }],
      resolutions: { 'oci-tags:docker.io/library/node:': '20.15.1' },
      output: 'ARG BASE=node:20.15.1\nFROM ${BASE}\n',
    },
    { name: 'offline: stays', code: 'FROM alpine\n', errors: [{ messageId: 'untagged' }], output: null },
  ],
});

ruleTester.run(noLatestTag, {
  valid: ['FROM debian:jessie\n', `FROM hub.docker.io/debian@${DIGEST}\n`],
  invalid: [
    {
      code: 'from debian:latest as builder\n',
      errors: [{ messageId: 'latest', line: 1, column: 6 }],
      resolutions: { 'oci-tags:docker.io/library/debian:latest': '12.5' },
      output: 'from debian:12.5 as builder\n',
    },
  ],
});

ruleTester.run(baseImageSpecificTag, {
  valid: ['FROM python:3.11.9-slim\n', 'FROM ubuntu:22.04\n', 'FROM debian:bookworm\n', 'FROM node:lts\n'],
  invalid: [
    {
      code: 'FROM python:3.11-slim-bookworm\n',
      errors: [{ messageId: 'loose', line: 1, column: 6 }],
      resolutions: { 'oci-tags:docker.io/library/python:3.11-slim-bookworm': '3.11.9-slim-bookworm' },
      output: 'FROM python:3.11.9-slim-bookworm\n',
    },
    { code: 'FROM node:20\n', errors: [{ messageId: 'loose' }], output: null },
    {
      name: 'the version from an ARG default: the default gets the specific version',
      code: 'ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim AS app\nFROM python:$PYTHON_VERSION\n',
      errors: [
        { messageId: 'loose', line: 2 },
        { messageId: 'loose', line: 3 },
      ],
      resolutions: {
        'oci-tags:docker.io/library/python:3.12-slim': '3.12.7-slim',
        'oci-tags:docker.io/library/python:3.12': '3.12.7',
      },
      output:
        'ARG PYTHON_VERSION=3.12.7\nFROM python:${PYTHON_VERSION}-slim AS app\nFROM python:$PYTHON_VERSION\n',
    },
    {
      name: 'a tag that does not fit the template is left alone',
      code: 'ARG NODE=20\nFROM node:${NODE}-alpine\n',
      errors: [{ messageId: 'loose' }],
      resolutions: { 'oci-tags:docker.io/library/node:20-alpine': '20.18.0-alpine3.20' },
      output: null,
    },
  ],
});

ruleTester.run(pinBaseImageDigest, {
  valid: [
    `FROM python:3.12@${DIGEST}\n`,
    'FROM scratch\n',
    `FROM python:3.12@${DIGEST} AS a\nFROM a\n`,
    { name: 'a variable tag gets no digest', code: 'ARG PY=3.12.7\nFROM python:${PY}-slim\n' },
    {
      name: 'nor a reference of two variables',
      code: 'ARG REG=ghcr.io\nARG TAG=1.2.3\nFROM ${REG}/o/app:${TAG}\n',
    },
  ],
  invalid: [
    {
      code: 'FROM registry.example.com:5000/team/app:1.2.3\n',
      errors: [{ messageId: 'noDigest', line: 1, column: 6 }],
      resolutions: { 'oci-digest:registry.example.com:5000/team/app:1.2.3': DIGEST },
      output: `FROM registry.example.com:5000/team/app:1.2.3@${DIGEST}\n`,
    },
    {
      name: 'a whole reference in an ARG is pinned in its default',
      code: 'ARG BASE=python:3.12.7-slim\nFROM $BASE\n',
      errors: [{ messageId: 'noDigest', line: 1, column: 10 }],
      resolutions: { 'oci-digest:docker.io/library/python:3.12.7-slim': DIGEST },
      output: `ARG BASE=python:3.12.7-slim@${DIGEST}\nFROM $BASE\n`,
    },
  ],
});

ruleTester.run(preferSlimBase, {
  valid: [
    'FROM python:3.12-slim\n',
    'FROM python:3.12 AS build\nRUN pip wheel .\nFROM python:3.12-slim\nCOPY --from=build /w /w\n',
    'FROM golang:1.22\n',
  ],
  invalid: [
    {
      code: 'FROM python:3.11-bookworm\nCOPY . /app\nCMD ["python", "/app/main.py"]\n',
      errors: [{ messageId: 'notSlim', line: 1, column: 6 }],
      resolutions: { 'oci-digest:docker.io/library/python:3.11-slim-bookworm': DIGEST },
      output: 'FROM python:3.11-slim-bookworm\nCOPY . /app\nCMD ["python", "/app/main.py"]\n',
    },
    {
      name: 'a slim tag the registry does not list is not written',
      code: 'FROM python:3.11-bookworm\n',
      errors: [{ messageId: 'notSlim' }],
      output: null,
    },
    {
      name: 'no variant of a tag that is no version',
      code: 'FROM python:3.x\n',
      errors: [],
      output: null,
    },
    {
      name: 'node puts slim after the codename',
      code: 'FROM node:20-bookworm\n',
      errors: [{ messageId: 'notSlim' }],
      resolutions: { 'oci-digest:docker.io/library/node:20-bookworm-slim': DIGEST },
      output: 'FROM node:20-bookworm-slim\n',
    },
    {
      name: 'untagged debian',
      code: 'FROM debian\n',
      errors: [{ messageId: 'notSlim' }],
      resolutions: { 'oci-digest:docker.io/library/debian:stable-slim': DIGEST },
      output: 'FROM debian:stable-slim\n',
    },
    {
      name: 'uses curl, which slim lacks',
      code: 'FROM python:3.11\nRUN curl -fsSLo x https://example.com/x\n',
      errors: [{ messageId: 'notSlim' }],
      output: null,
    },
    {
      name: 'installs what it uses',
      code: 'FROM python:3.11\nRUN apt-get update && apt-get install -y curl && curl -fsSLo x https://example.com/x\n',
      errors: [{ messageId: 'notSlim' }],
      resolutions: { 'oci-digest:docker.io/library/python:3.11-slim': DIGEST },
      output:
        'FROM python:3.11-slim\nRUN apt-get update && apt-get install -y curl && curl -fsSLo x https://example.com/x\n',
    },
    {
      name: 'a requirement pip compiles: built in a builder stage, run on slim with its runtime library',
      code: [
        'FROM node:20 AS build',
        'RUN npm ci',
        '# the app',
        'FROM python:3.11',
        'WORKDIR /app',
        'COPY requirements.txt .',
        'RUN pip install --no-cache-dir -r requirements.txt',
        'COPY --from=build /app/dist ./static',
        'CMD ["python", "app.py"]',
        '',
      ].join('\n'),
      files: { 'requirements.txt': 'flask==3.0.3\npsycopg2==2.9.9\n' },
      errors: [{ messageId: 'notSlim', line: 4 }],
      resolutions: {
        'oci-digest:docker.io/library/python:3.11-slim': DIGEST,
        'pip-wheel:flask:==3.0.3:3.11:gnu': 'wheel',
        'pip-wheel:psycopg2:==2.9.9:3.11:gnu': 'sdist 2.9.9',
      },
      output: [
        'FROM node:20 AS build',
        'RUN npm ci',
        'FROM python:3.11 AS venv-build',
        'RUN python -m venv /opt/venv',
        'ENV PATH=/opt/venv/bin:$PATH',
        'WORKDIR /app',
        'COPY requirements.txt .',
        'RUN pip install --no-cache-dir -r requirements.txt',
        '',
        '# the app',
        'FROM python:3.11-slim',
        'COPY --from=venv-build /opt/venv /opt/venv',
        'ENV PATH=/opt/venv/bin:$PATH',
        'RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*',
        'WORKDIR /app',
        'COPY requirements.txt .',
        'COPY --from=build /app/dist ./static',
        'CMD ["python", "app.py"]',
        '',
      ].join('\n'),
    },
    {
      name: 'a git requirement and the build packages: CRLF, lowercase keywords and comments stay as written',
      code: [
        'from python:3.11-bookworm',
        'run apt-get update && apt-get install -y --no-install-recommends gcc libxml2-dev libxslt1-dev && rm -rf /var/lib/apt/lists/*',
        'copy requirements.txt /tmp/',
        'run pip install --no-cache-dir -r /tmp/requirements.txt \\',
        "    # the app's own fork",
        '    && pip install --no-cache-dir "git+https://example.com/lib.git@v1#egg=lib"',
        'cmd ["python", "-m", "app"]',
        '',
      ].join('\r\n'),
      files: { 'requirements.txt': 'lxml==5.2.1\n' },
      errors: [{ messageId: 'notSlim', line: 1 }],
      resolutions: {
        'oci-digest:docker.io/library/python:3.11-slim-bookworm': DIGEST,
        'pip-wheel:lxml:==5.2.1:3.11:gnu': 'sdist 5.2.1',
      },
      output: [
        'from python:3.11-bookworm as build',
        'run python -m venv /opt/venv',
        'env PATH=/opt/venv/bin:$PATH',
        'run apt-get update && apt-get install -y --no-install-recommends gcc libxml2-dev libxslt1-dev && rm -rf /var/lib/apt/lists/*',
        'copy requirements.txt /tmp/',
        'run pip install --no-cache-dir -r /tmp/requirements.txt \\',
        "    # the app's own fork",
        '    && pip install --no-cache-dir "git+https://example.com/lib.git@v1#egg=lib"',
        '',
        'from python:3.11-slim-bookworm',
        'copy --from=build /opt/venv /opt/venv',
        'env PATH=/opt/venv/bin:$PATH',
        'run apt-get update && apt-get install -y --no-install-recommends libxml2 libxslt1.1 && rm -rf /var/lib/apt/lists/*',
        'copy requirements.txt /tmp/',
        'cmd ["python", "-m", "app"]',
        '',
      ].join('\r\n'),
    },
    {
      name: 'every requirement has a wheel: the final stage becomes slim itself, no builder',
      code: 'FROM python:3.11\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n',
      files: { 'requirements.txt': 'flask==3.0.3\n' },
      errors: [{ messageId: 'notSlim' }],
      resolutions: {
        'oci-digest:docker.io/library/python:3.11-slim': DIGEST,
        'pip-wheel:flask:==3.0.3:3.11:gnu': 'wheel',
      },
      output:
        'FROM python:3.11-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n',
    },
  ],
});

ruleTester.run(trustedBaseRegistry, {
  valid: ['FROM debian:12\n', { code: 'FROM ghcr.io/a/b:1\n', config: { trustedRegistries: ['ghcr.io'] } }],
  invalid: [
    {
      code: 'FROM quay.io/a/b:1\nFROM debian:12\n',
      config: { trustedRegistries: ['docker.io'] },
      errors: [{ messageId: 'untrusted', line: 1 }],
    },
  ],
});
