import { rule as cargoPinVersions } from '../../rules/cargo-pin-versions';
import { rule as curlOrWget } from '../../rules/curl-or-wget';
import { rule as dnfAssumeYes } from '../../rules/dnf-assume-yes';
import { rule as gemPinVersions } from '../../rules/gem-pin-versions';
import { rule as goPinVersions } from '../../rules/go-pin-versions';
import { rule as noInteractiveCommands } from '../../rules/no-interactive-commands';
import { rule as noZypperDistUpgrade } from '../../rules/no-zypper-dist-upgrade';
import { rule as npmPinVersions } from '../../rules/npm-pin-versions';
import { rule as pythonLockedInstall } from '../../rules/python-locked-install';
import { rule as useShellInstruction } from '../../rules/use-shell-instruction';
import { rule as useWorkdir } from '../../rules/use-workdir';
import { rule as useraddNoLogInit } from '../../rules/useradd-no-log-init';
import { rule as wgetProgress } from '../../rules/wget-progress';
import { rule as yarnCacheClean } from '../../rules/yarn-cache-clean';
import { rule as yumAssumeYes } from '../../rules/yum-assume-yes';
import { rule as zypperClean } from '../../rules/zypper-clean';
import { rule as zypperNonInteractive } from '../../rules/zypper-non-interactive';
import { rule as zypperPinVersions } from '../../rules/zypper-pin-versions';
import { ruleTester } from '../harness/rule-tester';

const F = 'FROM alpine:3.20\n';

ruleTester.run(noInteractiveCommands, {
  valid: [`${F}RUN apk add --no-cache procps\n`, `${F}RUN echo ps top vim\n`, `${F}CMD ["top"]\n`],
  invalid: [
    { code: `${F}RUN service nginx start\n`, errors: [{ messageId: 'pointless', line: 2, column: 5 }] },
    { code: `${F}RUN make && sudo shutdown -h now\n`, errors: [{ messageId: 'pointless' }] },
    { code: `${F}ONBUILD RUN ps aux\n`, errors: [{ messageId: 'pointless' }] },
  ],
});

ruleTester.run(useWorkdir, {
  valid: [`${F}WORKDIR /src\nRUN make\n`, `${F}RUN echo cd\n`],
  invalid: [
    { code: `${F}RUN cd /src && make\n`, errors: [{ messageId: 'cd', line: 2, column: 5 }] },
    { code: `${F}ONBUILD RUN cd /x; ls\n`, errors: [{ messageId: 'cd' }] },
  ],
});

ruleTester.run(yumAssumeYes, {
  valid: [
    `${F}RUN yum install -y httpd\n`,
    `${F}RUN yum --assumeyes install httpd\n`,
    `${F}RUN yum clean all\n`,
  ],
  invalid: [
    {
      code: `${F}RUN yum install httpd && yum clean all\n`,
      errors: [{ messageId: 'noYes', line: 2, column: 9 }],
      output: `${F}RUN yum install -y httpd && yum clean all\n`,
    },
    {
      code: `${F}RUN yum groupinstall "Development Tools"\n`,
      errors: [{ messageId: 'noYes' }],
      output: `${F}RUN yum groupinstall -y "Development Tools"\n`,
    },
  ],
});

ruleTester.run(dnfAssumeYes, {
  valid: [
    `${F}RUN dnf install -y httpd\n`,
    `${F}RUN microdnf -y install httpd\n`,
    `${F}RUN dnf --assumeyes localinstall x.rpm\n`,
  ],
  invalid: [
    {
      code: `${F}RUN dnf install httpd\n`,
      errors: [{ messageId: 'noYes', line: 2, column: 9 }],
      output: `${F}RUN dnf install -y httpd\n`,
    },
    {
      code: `${F}RUN microdnf install nginx\n`,
      errors: [{ messageId: 'noYes' }],
      output: `${F}RUN microdnf install -y nginx\n`,
    },
  ],
});

ruleTester.run(zypperNonInteractive, {
  valid: [
    `${F}RUN zypper install -y curl\n`,
    `${F}RUN zypper -n in curl\n`,
    `${F}RUN zypper --non-interactive rm curl\n`,
    `${F}RUN zypper refresh\n`,
  ],
  invalid: [
    {
      code: `${F}RUN zypper install curl\n`,
      errors: [{ messageId: 'noYes', line: 2, column: 12 }],
      output: `${F}RUN zypper install -y curl\n`,
    },
    { code: `${F}RUN zypper patch\n`, errors: [{ messageId: 'noYes' }], output: `${F}RUN zypper patch -y\n` },
  ],
});

ruleTester.run(noZypperDistUpgrade, {
  valid: [`${F}RUN zypper -n update\n`, `${F}RUN zypper in -y curl=8\n`],
  invalid: [
    { code: `${F}RUN zypper -n dist-upgrade\n`, errors: [{ messageId: 'dup', line: 2, column: 15 }] },
    { code: `${F}RUN zypper dup -y\n`, errors: [{ messageId: 'dup' }] },
  ],
});

ruleTester.run(zypperClean, {
  valid: [
    `${F}RUN zypper -n in curl && zypper clean --all\n`,
    `${F}RUN zypper -n install curl && zypper cc -a\n`,
    `${F}RUN --mount=type=cache,target=/var/cache/zypp zypper -n in curl\n`,
    `${F}RUN zypper refresh\n`,
  ],
  invalid: [
    {
      code: `${F}RUN zypper -n install curl\n`,
      errors: [{ messageId: 'noClean', line: 2, column: 1 }],
      output: `${F}RUN zypper -n install curl && zypper clean --all\n`,
    },
    {
      name: 'clean before the install',
      code: `${F}RUN zypper clean && zypper -n in curl\n`,
      errors: [{ messageId: 'noClean' }],
      output: `${F}RUN zypper clean && zypper -n in curl && zypper clean --all\n`,
    },
  ],
});

ruleTester.run(zypperPinVersions, {
  valid: [`${F}RUN zypper -n in curl=8.6.0 'git>=2.40'\n`, `${F}RUN zypper -n in ./local.rpm\n`],
  invalid: [
    {
      code: `${F}RUN zypper -n install curl git=2.43\n`,
      errors: [{ messageId: 'unpinned', line: 2, column: 23 }],
    },
    { code: `${F}RUN zypper in -y a b\n`, errors: [{ messageId: 'unpinned' }, { messageId: 'unpinned' }] },
  ],
});

ruleTester.run(npmPinVersions, {
  valid: [
    `${F}RUN npm ci\n`,
    `${F}RUN npm install\n`,
    `${F}RUN npm install --production\n`,
    `${F}RUN npm install -g typescript@5.4.5 @scope/cli@1.0.0\n`,
    `${F}RUN npm i git+https://github.com/o/r.git#v1.2.0 ./local ../pkg.tgz\n`,
    `${F}RUN npm install --registry https://registry.example express@4.19.2\n`,
  ],
  invalid: [
    {
      code: `${F}RUN npm install -g typescript @types/node@latest\n`,
      errors: [
        { messageId: 'unpinned', line: 2, column: 20 },
        { messageId: 'unpinned', line: 2, column: 31 },
      ],
      resolutions: { 'npm-version:typescript': '5.6.3', 'npm-version:@types/node': '22.9.0' },
      output: `${F}RUN npm install -g typescript@5.6.3 @types/node@22.9.0\n`,
    },
    { code: `${F}RUN npm i @angular/cli\n`, errors: [{ messageId: 'unpinned' }] },
    {
      name: 'yarn global add',
      code: `${F}RUN yarn global add --prefix /usr/local serve\n`,
      errors: [{ messageId: 'unpinned', line: 2, column: 41 }],
      resolutions: { 'npm-version:serve': '14.2.4' },
      output: `${F}RUN yarn global add --prefix /usr/local serve@14.2.4\n`,
    },
    {
      name: 'a tag is not a version',
      code: `${F}RUN npm install -g pnpm@latest\n`,
      errors: [{ messageId: 'unpinned' }],
    },
    {
      name: 'a range is not a version',
      code: `${F}RUN npm install "left-pad@^1.3.0"\n`,
      errors: [{ messageId: 'unpinned' }],
    },
    {
      name: 'git without a ref',
      code: `${F}RUN npm i git+https://github.com/o/r.git\n`,
      errors: [{ messageId: 'unpinned' }],
    },
  ],
});

ruleTester.run(gemPinVersions, {
  valid: [
    `${F}RUN gem install bundler:2.5.6\n`,
    `${F}RUN gem install rails -v 7.1.3\n`,
    `${F}RUN gem install rails --version=7.1.3\n`,
    `${F}RUN gem update --system\n`,
    `${F}RUN gem install ./local.gem\n`,
  ],
  invalid: [
    {
      code: `${F}RUN gem install bundler\n`,
      errors: [{ messageId: 'unpinned', line: 2, column: 17 }],
      resolutions: { 'gem-version:bundler': '2.5.23' },
      output: `${F}RUN gem install bundler:2.5.23\n`,
    },
    { code: `${F}RUN gem i --no-document rake\n`, errors: [{ messageId: 'unpinned' }] },
  ],
});

ruleTester.run(goPinVersions, {
  valid: [
    `${F}RUN go install golang.org/x/tools/gopls@v0.15.3\n`,
    `${F}RUN go install ./cmd/server\n`,
    `${F}RUN go build -o /app .\n`,
    `${F}RUN go run example.com/gen@v1.0.0 --out x\n`,
    // Inside a module go.mod pins these (outside one, go refuses them).
    `${F}RUN go install github.com/aws/aws-sdk-go-v2/aws golang.org/x/crypto/ssh\n`,
    `${F}RUN go run example.com/gen arg1\n`,
  ],
  invalid: [
    {
      code: `${F}RUN go install golang.org/x/tools/gopls@latest\n`,
      errors: [{ messageId: 'unpinned', line: 2, column: 16 }],
      resolutions: { 'go-version:golang.org/x/tools/gopls': 'v0.16.2' },
      output: `${F}RUN go install golang.org/x/tools/gopls@v0.16.2\n`,
    },
    { code: `${F}RUN go get example.com/lib\n`, errors: [{ messageId: 'unpinned' }] },
    {
      name: 'a path with .. is not looked up',
      code: `${F}RUN go install example.com/../../tool@latest\n`,
      errors: [{ messageId: 'unpinned' }],
      resolutions: { 'go-version:example.com/../../tool': 'v1.0.0' },
      output: null,
    },
    {
      name: 'several packages of one go install: pinned they would have to share a module and version',
      code: `${F}RUN go install golang.org/x/tools/gopls@latest github.com/BurntSushi/toml/cmd/tomlv@latest\n`,
      errors: [{ messageId: 'unpinned' }, { messageId: 'unpinned' }],
      resolutions: {
        'go-version:golang.org/x/tools/gopls': 'v0.16.2',
        'go-version:github.com/BurntSushi/toml/cmd/tomlv': 'v1.10.0',
      },
      output: null,
    },
  ],
});

ruleTester.run(useraddNoLogInit, {
  valid: [
    `${F}RUN useradd -u 1000 app\n`,
    `${F}RUN useradd -l -u 1000000 app\n`,
    `${F}RUN useradd --no-log-init --uid 1000000 app\n`,
  ],
  invalid: [
    {
      code: `${F}RUN useradd -u 1000000 app\n`,
      errors: [{ messageId: 'noLogInit', line: 2, column: 5 }],
      output: `${F}RUN useradd -l -u 1000000 app\n`,
    },
    {
      code: `${F}RUN useradd --uid=123456 -m app\n`,
      errors: [{ messageId: 'noLogInit' }],
      output: `${F}RUN useradd -l --uid=123456 -m app\n`,
    },
  ],
});

ruleTester.run(wgetProgress, {
  valid: [
    `${F}RUN wget -q https://x/a.tgz\n`,
    `${F}RUN wget -nv https://x/a.tgz\n`,
    `${F}RUN wget --progress=dot:giga https://x/a.tgz\n`,
    `${F}RUN wget -o /tmp/log https://x/a.tgz\n`,
    `${F}RUN wget -qO- https://x/a.tgz | tar xz\n`,
  ],
  invalid: [
    {
      code: `${F}RUN wget https://x/big.iso\n`,
      errors: [{ messageId: 'progress', line: 2, column: 5 }],
      output: `${F}RUN wget --progress=dot:giga https://x/big.iso\n`,
    },
    {
      code: `${F}RUN wget -O /tmp/a https://x/a\n`,
      errors: [{ messageId: 'progress' }],
      output: `${F}RUN wget --progress=dot:giga -O /tmp/a https://x/a\n`,
    },
  ],
});

ruleTester.run(yarnCacheClean, {
  valid: [
    `FROM node:20\nRUN yarn install --frozen-lockfile && yarn cache clean\n`,
    `FROM node:20\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\n`,
    `FROM node:20 AS deps\nRUN yarn install\nFROM node:20\nCOPY --from=deps /app /app\n`,
  ],
  invalid: [
    {
      code: `FROM node:20\nRUN yarn install --frozen-lockfile\n`,
      errors: [{ messageId: 'noClean', line: 2, column: 1 }],
      output: `FROM node:20\nRUN yarn install --frozen-lockfile && yarn cache clean\n`,
    },
    {
      name: 'clean before the install',
      code: `FROM node:20\nRUN yarn cache clean && yarn install\n`,
      errors: [{ messageId: 'noClean' }],
      output: `FROM node:20\nRUN yarn cache clean && yarn install && yarn cache clean\n`,
    },
    {
      name: 'ONBUILD in a stage nothing builds on',
      code: `FROM node:20 AS tpl\nONBUILD RUN yarn install\nFROM scratch\n`,
      errors: [{ messageId: 'noClean' }],
      output: `FROM node:20 AS tpl\nONBUILD RUN yarn install && yarn cache clean\nFROM scratch\n`,
    },
  ],
});

ruleTester.run(curlOrWget, {
  valid: [
    `${F}RUN curl -fsSLO https://x/a\nRUN curl -fsSLO https://x/b\n`,
    `FROM alpine:3.20 AS a\nRUN wget -q https://x\nFROM alpine:3.20\nRUN curl -fsS https://x\n`,
  ],
  invalid: [
    {
      code: `${F}RUN wget -q https://x/a\nRUN curl -fsS https://x/b\n`,
      errors: [{ messageId: 'both', line: 3, column: 1 }],
    },
    {
      code: `${F}RUN curl -fsS https://x/a && wget -q https://x/b\n`,
      errors: [{ messageId: 'both', line: 2 }],
    },
  ],
});

ruleTester.run(useShellInstruction, {
  valid: [`${F}SHELL ["/bin/bash", "-c"]\n`, `${F}RUN ln -s /usr/bin/python3 /usr/bin/python\n`],
  invalid: [
    {
      code: `FROM debian:12\nRUN ln -sf /bin/bash /bin/sh\nRUN echo $0\n`,
      errors: [{ messageId: 'relink', line: 2, column: 5 }],
      output: `FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN echo $0\n`,
    },
    { code: `${F}RUN rm /bin/sh && ln -s /bin/bash /bin/sh\n`, errors: [{ messageId: 'relink' }] },
  ],
});

ruleTester.run(pythonLockedInstall, {
  valid: [
    'FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\n',
    'FROM python:3.12-slim\nCOPY . /app\nRUN uv sync --locked\n',
    'FROM python:3.12-slim\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\n',
    {
      name: 'poetry.lock comes with the whole context',
      code: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN poetry install\n',
      files: { 'poetry.lock': '# lock\n' },
    },
    'FROM python:3.12-slim\nCOPY Pipfile Pipfile.lock ./\nRUN pipenv install --deploy --system\n',
    'FROM python:3.12-slim\nCOPY Pipfile* ./\nRUN pipenv sync\n',
  ],
  invalid: [
    {
      code: 'FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --no-dev\n',
      errors: [{ messageId: 'uvSync', line: 3, column: 8 }],
      output: 'FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\n',
    },
    {
      name: 'no uv.lock to install from: reported, not fixed',
      code: 'FROM python:3.12-slim\nCOPY pyproject.toml ./\nRUN uv sync\n',
      errors: [{ messageId: 'uvSync' }],
    },
    {
      name: 'uv.lock in a copied folder of the context',
      code: 'FROM python:3.12-slim\nCOPY backend/ /srv/\nRUN cd /srv && uv sync\n',
      files: { 'backend/uv.lock': 'version = 1\n' },
      errors: [{ messageId: 'uvSync' }],
      output: 'FROM python:3.12-slim\nCOPY backend/ /srv/\nRUN cd /srv && uv sync --frozen\n',
    },
    {
      code: 'FROM python:3.12-slim\nCOPY pyproject.toml ./\nRUN pip install poetry==1.8.3 && poetry install\n',
      errors: [{ messageId: 'poetryNoLock', line: 3, column: 41 }],
    },
    {
      code: 'FROM python:3.12-slim\nCOPY Pipfile Pipfile.lock ./\nRUN pipenv install --system\n',
      errors: [{ messageId: 'pipenvNoDeploy', line: 3, column: 12 }],
      output: 'FROM python:3.12-slim\nCOPY Pipfile Pipfile.lock ./\nRUN pipenv install --deploy --system\n',
    },
  ],
});

ruleTester.run(cargoPinVersions, {
  valid: [
    'FROM rust:1.82\nRUN cargo install ripgrep@14.1.1\n',
    'FROM rust:1.82\nRUN cargo install --locked --version 0.9.1 cargo-chef\n',
    'FROM rust:1.82\nRUN cargo install --git https://github.com/o/tool --rev 1a2b3c4\n',
    'FROM rust:1.82\nRUN cargo install --path .\n',
    'FROM rust:1.82\nRUN cargo build --release\n',
  ],
  invalid: [
    {
      code: 'FROM rust:1.82\nRUN cargo install --locked ripgrep fd-find@latest\n',
      errors: [
        { messageId: 'unpinned', line: 2, column: 28 },
        { messageId: 'unpinned', line: 2, column: 36 },
      ],
      resolutions: { 'cargo-version:ripgrep': '14.1.1', 'cargo-version:fd-find': '10.2.0' },
      output: 'FROM rust:1.82\nRUN cargo install --locked ripgrep@14.1.1 fd-find@10.2.0\n',
    },
    {
      name: 'a requirement is not a version',
      code: 'FROM rust:1.82\nRUN cargo install sccache@^0.8\n',
      errors: [{ messageId: 'unpinned' }],
    },
  ],
});
