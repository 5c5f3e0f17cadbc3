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
    'RUN apk add flex=2.6.4-r1\n',
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
    'RUN apk add --no-cache flex=2.6.4-r1\n',
    'RUN --mount=type=cache,target=/var/cache/apk apk add -U curl=7.77.0\n',
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
  valid: ['RUN dnf install -y mariadb-10.4\n'],
  invalid: [{ code: 'RUN microdnf install -y mariadb\n', errors: [{ messageId: 'unpinned' }] }],
});

ruleTester.run(yumCleanCache, {
  valid: ['RUN yum install -y x-1 && yum clean all\n', 'RUN yum install -y x-1 && rm -rf /var/cache/yum\n'],
  invalid: [
    {
      code: 'FROM centos:7\nRUN yum install -y httpd-2.4.6\n',
      errors: [{ messageId: 'noClean', line: 2 }],
      output: 'FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n',
    },
  ],
});

ruleTester.run(dnfCleanCache, {
  valid: ['RUN dnf install -y mariadb-10.4 && dnf clean all\n', 'RUN notdnf install mariadb\n'],
  invalid: [
    {
      code: 'FROM fedora:40\nRUN microdnf install -y mariadb-10.4\n',
      errors: [{ messageId: 'noClean' }],
      output: 'FROM fedora:40\nRUN microdnf install -y mariadb-10.4 && microdnf clean all\n',
    },
  ],
});

ruleTester.run(pipPinVersions, {
  valid: [
    'RUN pip3 install MySQL_python==1.2.2\n',
    'RUN pip install -r requirements.txt\n',
    'RUN pip install .\n',
    "RUN pip install 'alabaster>=0.7'\n",
    'RUN pip install pykafka -c http://foo.bar.baz\n',
    'RUN pip install git+https://github.com/rtfd/r-ext.git@0.6-alpha#egg=r-ext\n',
    'RUN pip3 install --prefix /opt/yamllint yamllint==1.20.0\n',
  ],
  invalid: [
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
    'RUN pip install MySQL_python --no-cache-dir\n',
    'RUN pipx install software\n',
    'ENV PIP_NO_CACHE_DIR=1\nRUN pip install MySQL_python\n',
    'RUN PIP_NO_CACHE_DIR=yes pip install MySQL_python\n',
    'RUN export PIP_NO_CACHE_DIR=true && pip install MySQL_python\n',
    'FROM debian:buster as base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install six\n',
  ],
  invalid: [
    {
      code: 'FROM python:3.12\nENV PIP_NO_CACHE_DIR=off\nRUN pip3 install -r requirements.txt\n',
      errors: [{ messageId: 'cache', line: 3, column: 10 }],
      output:
        'FROM python:3.12\nENV PIP_NO_CACHE_DIR=off\nRUN pip3 install --no-cache-dir -r requirements.txt\n',
    },
    {
      code: 'FROM debian:buster as base\nENV PIP_NO_CACHE_DIR=1\nFROM debian:buster\nRUN pip install six\n',
      errors: [{ messageId: 'cache', line: 4 }],
      output:
        'FROM debian:buster as base\nENV PIP_NO_CACHE_DIR=1\nFROM debian:buster\nRUN pip install --no-cache-dir six\n',
    },
  ],
});
