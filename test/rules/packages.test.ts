import { rule as apkNoCache } from '../../rules/apk-no-cache';
import { rule as apkPinVersions } from '../../rules/apk-pin-versions';
import { rule as dnfCleanCache } from '../../rules/dnf-clean-cache';
import { rule as dnfPinVersions } from '../../rules/dnf-pin-versions';
import { rule as pipNoCacheDir } from '../../rules/pip-no-cache-dir';
import { rule as pipPinVersions } from '../../rules/pip-pin-versions';
import { rule as yumCleanCache } from '../../rules/yum-clean-cache';
import { rule as yumPinVersions } from '../../rules/yum-pin-versions';
import { ruleTester } from '../harness/rule-tester';

ruleTester.run(apkPinVersions, {
  valid: [
    'RUN apk add jq=1.7.1-r0\n',
    'RUN apk add --no-cache git~2.52.0\n',
    'RUN apk add --virtual build-deps python-dev=1.1.1 \\\n && apk del build-deps\n',
    'RUN apk add --no-cache -X https://dl-cdn.alpinelinux.org/alpine/edge/testing flow=0.78.0-r0\n',
    'RUN apk add mypackage-1.1.1.apk\n',
  ],
  invalid: [
    {
      code: 'FROM alpine:3.19\nRUN apk add --no-cache curl \\\n\tgit=2.43.0-r0\n',
      errors: [{ messageId: 'unpinned', line: 2, column: 24 }],
      resolutions: { 'apk-version:alpine:3.19:curl': '8.5.0-r0' },
      output: 'FROM alpine:3.19\nRUN apk add --no-cache curl=8.5.0-r0 \\\n\tgit=2.43.0-r0\n',
    },
    {
      name: 'python:3.12-alpine3.20 branch',
      code: 'FROM python:3.12-alpine3.20\nRUN apk add --no-cache tini\n',
      errors: [{ messageId: 'unpinned' }],
      resolutions: { 'apk-version:alpine:3.20:tini': '0.19.0-r3' },
      output: 'FROM python:3.12-alpine3.20\nRUN apk add --no-cache tini=0.19.0-r3\n',
    },
  ],
});

ruleTester.run(apkNoCache, {
  valid: [
    'RUN apk add --no-cache jq=1.7.1-r0\n',
    'RUN --mount=type=cache,target=/var/cache/apk apk add -U curl=8.9.1-r2\n',
    'RUN --mount=type=tmpfs,target=/var/cache/apk apk add -U curl=8.9.1-r2\n',
  ],
  invalid: [
    {
      code: 'FROM alpine:3.19\nRUN apk update && apk add curl=8.5.0-r0\n',
      errors: [{ messageId: 'cache', line: 2, column: 23 }],
      output: 'FROM alpine:3.19\nRUN apk update && apk add --no-cache curl=8.5.0-r0\n',
    },
  ],
});

ruleTester.run(yumPinVersions, {
  valid: [
    'RUN yum install -y tomcat-9.2 && yum clean all\n',
    'RUN yum install -y openssl-1:1.1.1k\n',
    'RUN yum module install -y tomcat:9\n',
    'RUN yum install -y "git-core-${GIT_VER}"\n',
  ],
  invalid: [
    {
      code: 'RUN yum install -y tomcat && yum clean all\n',
      errors: [{ messageId: 'unpinned', line: 1, column: 20 }],
    },
  ],
});

ruleTester.run(dnfPinVersions, {
  valid: ['RUN dnf install -y postgresql-server-15.6\n'],
  invalid: [{ code: 'RUN microdnf install -y mariadb\n', errors: [{ messageId: 'unpinned' }] }],
});

ruleTester.run(yumCleanCache, {
  valid: [
    'RUN yum install -y x-1 && yum clean all\n',
    'RUN yum install -y x-1 && rm -rf /var/cache/yum\n',
    'RUN --mount=type=cache,target=/var/cache/yum yum install -y git-2.43.0\n',
    'RUN yum makecache\n',
  ],
  invalid: [
    {
      code: 'FROM centos:7\nRUN yum install -y nginx-1.20.1\n',
      errors: [{ messageId: 'noClean', line: 2 }],
      output: 'FROM centos:7\nRUN yum install -y nginx-1.20.1 && yum clean all\n',
    },
    {
      name: 'a clean before the install does not count',
      code: 'FROM centos:7\nRUN yum clean all && yum install -y git-2.43.0\n',
      errors: [{ messageId: 'noClean' }],
      output: 'FROM centos:7\nRUN yum clean all && yum install -y git-2.43.0 && yum clean all\n',
    },
  ],
});

ruleTester.run(dnfCleanCache, {
  valid: [
    'RUN dnf install -y postgresql-server-15.6 && dnf clean all\n',
    'RUN mydnf install postgresql\n',
    'RUN dnf in -y git-2.43.0 && rm -rf /var/cache/libdnf5/*\n',
    'RUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y git-2.43.0\n',
    'RUN --mount=type=tmpfs,target=/var/cache/dnf microdnf install -y git-2.43.0\n',
    'RUN dnf -y upgrade-minimal && dnf clean all\n',
  ],
  invalid: [
    {
      code: 'FROM fedora:40\nRUN microdnf install -y postgresql-server-15.6\n',
      errors: [{ messageId: 'noClean' }],
      output: 'FROM fedora:40\nRUN microdnf install -y postgresql-server-15.6 && microdnf clean all\n',
    },
    {
      name: "dnf's short verbs fill the cache too",
      code: 'FROM fedora:40\nRUN dnf -y up\nRUN dnf rei -y git-2.43.0\n',
      errors: [
        { messageId: 'noClean', line: 2 },
        { messageId: 'noClean', line: 3 },
      ],
      output: 'FROM fedora:40\nRUN dnf -y up && dnf clean all\nRUN dnf rei -y git-2.43.0 && dnf clean all\n',
    },
    {
      name: 'the other tool cleaning does not count',
      code: 'FROM fedora:40\nRUN dnf install -y git-2.43.0 && microdnf clean all\n',
      errors: [{ messageId: 'noClean' }],
      output: 'FROM fedora:40\nRUN dnf install -y git-2.43.0 && microdnf clean all && dnf clean all\n',
    },
  ],
});

ruleTester.run(pipPinVersions, {
  valid: [
    'RUN pip3 install psycopg2-binary==2.9.9\n',
    'RUN pip install -r requirements.txt\n',
    'RUN pip install .\n',
    'RUN pip install uvicorn -c constraints.txt\n',
    'RUN pip install git+https://git.example.com/team/toolkit.git@v2.3#egg=toolkit\n',
    'RUN pip3 install --prefix /opt/tools ruff==0.5.0\n',
  ],
  invalid: [
    {
      name: 'a range on a RUN line is not a pin',
      code: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir \'sphinx>=7.3\' "Django[argon2]<5"\n',
      errors: [
        { messageId: 'range', line: 2, column: 32 },
        { messageId: 'range', line: 2, column: 46 },
      ],
      resolutions: { 'pip-version:sphinx:>=7.3:3.12': '7.4.7', 'pip-version:Django:<5:3.12': '4.2.16' },
      output:
        'FROM python:3.12-slim\nRUN pip install --no-cache-dir \'sphinx==7.4.7\' "Django[argon2]==4.2.16"\n',
    },
    {
      name: 'pipx and uv pip are read like pip',
      code: 'FROM python:3.12-slim\nRUN pipx install black && uv pip install --system httpx~=0.27\n',
      errors: [
        { messageId: 'unpinned', line: 2, column: 18 },
        { messageId: 'range', line: 2, column: 51 },
      ],
      resolutions: { 'pip-version:black::3.12': '24.4.2', 'pip-version:httpx:~=0.27:3.12': '0.27.2' },
      output:
        'FROM python:3.12-slim\nRUN pipx install black==24.4.2 && uv pip install --system httpx==0.27.2\n',
    },
    {
      code: 'FROM python:3.12-slim\nRUN python -m pip install --no-cache-dir flask "requests[socks]"\n',
      errors: [
        { messageId: 'unpinned', line: 2, column: 42 },
        { messageId: 'unpinned', line: 2, column: 48 },
      ],
      resolutions: { 'pip-version:flask::3.12': '3.0.3', 'pip-version:requests::3.12': '2.32.3' },
      output:
        'FROM python:3.12-slim\nRUN python -m pip install --no-cache-dir flask==3.0.3 "requests[socks]"==2.32.3\n',
    },
    {
      code: 'RUN pip install git+https://github.com/rtfd/read-ext.git#egg=read-ext\n',
      errors: [{ messageId: 'vcs' }],
      output: null,
    },
    {
      name: 'Python unknown',
      code: 'FROM debian:12\nRUN pip install x\n',
      errors: [{ messageId: 'unpinned' }],
      output: null,
    },
  ],
});

ruleTester.run(pipNoCacheDir, {
  valid: [
    'RUN pip install psycopg2-binary --no-cache-dir\n',
    'RUN pipx install poetry==1.8.3\n',
    'ENV PIP_NO_CACHE_DIR=1\nRUN pip install psycopg2-binary\n',
    'RUN PIP_NO_CACHE_DIR=yes pip install psycopg2-binary\n',
    'RUN export PIP_NO_CACHE_DIR=true && pip install psycopg2-binary\n',
    'FROM ubuntu:24.04 AS deps\nENV PIP_NO_CACHE_DIR=1\nFROM deps\nRUN pip install httpx\n',
  ],
  invalid: [
    {
      code: 'FROM python:3.12\nENV PIP_NO_CACHE_DIR=off\nRUN pip3 install -r requirements.txt\n',
      errors: [{ messageId: 'cache', line: 3, column: 10 }],
      output:
        'FROM python:3.12\nENV PIP_NO_CACHE_DIR=off\nRUN pip3 install --no-cache-dir -r requirements.txt\n',
    },
    {
      code: 'FROM ubuntu:24.04 AS deps\nENV PIP_NO_CACHE_DIR=1\nFROM ubuntu:24.04\nRUN pip install httpx\n',
      errors: [{ messageId: 'cache', line: 4 }],
      output:
        'FROM ubuntu:24.04 AS deps\nENV PIP_NO_CACHE_DIR=1\nFROM ubuntu:24.04\nRUN pip install --no-cache-dir httpx\n',
    },
  ],
});
