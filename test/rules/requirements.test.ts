import { rule as pipRequireHashes } from '../../rules/pip-require-hashes';
import { rule as pipRequirementsPinned } from '../../rules/pip-requirements-pinned';
import { requirementsRefs } from '../../src/core/build-context';
import { parseRequirements } from '../../src/core/requirements';
import { parse, ruleTester, testShell } from '../harness/rule-tester';

const DF =
  'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n';

ruleTester.run(pipRequirementsPinned, {
  valid: [
    {
      code: DF,
      files: { 'requirements.txt': 'flask==3.0.3\n-e ./lib\ngit+https://x/y.git@v1#egg=y\n./wheels/a.whl\n' },
    },
    { name: 'file not in the context', code: DF },
    {
      name: 'constraint files are not installed',
      code: DF,
      files: { 'requirements.txt': '-c constraints.txt\nflask==3.0.3\n', 'constraints.txt': 'flask\n' },
    },
  ],
  invalid: [
    {
      name: 'uv pip sync and uv pip install -r read their files like pip',
      code:
        'FROM python:3.12-slim\nWORKDIR /srv\nCOPY locked.txt dev.txt ./\n' +
        'RUN uv pip sync --system locked.txt && uv pip install --system -r dev.txt\n',
      files: { 'locked.txt': 'httpx>=0.27\n', 'dev.txt': 'pytest\n' },
      errors: [
        { messageId: 'unpinned', line: 1, column: 1 },
        { messageId: 'unpinned', line: 1, column: 1 },
      ],
      resolutions: { 'pip-version:httpx:>=0.27:3.12': '0.27.2', 'pip-version:pytest::3.12': '8.3.3' },
      output: null,
      filesOutput: { 'locked.txt': 'httpx==0.27.2\n', 'dev.txt': 'pytest==8.3.3\n' },
    },
    {
      name: 'keeps comments, extras, markers, CRLF and hashes',
      code: DF,
      files: {
        'requirements.txt':
          '# web\r\nflask  # the app\r\nrequests[socks]>=2.31 ; python_version >= "3.8"\r\nuvicorn==0.30.1 --hash=sha256:abc\r\n',
      },
      errors: [
        { messageId: 'unpinned', line: 2, column: 1 },
        { messageId: 'unpinned', line: 3, column: 1 },
      ],
      resolutions: { 'pip-version:flask::3.12': '3.0.3', 'pip-version:requests:>=2.31:3.12': '2.32.3' },
      output: null,
      filesOutput: {
        'requirements.txt':
          '# web\r\nflask==3.0.3  # the app\r\nrequests[socks]==2.32.3 ; python_version >= "3.8"\r\nuvicorn==0.30.1 --hash=sha256:abc\r\n',
      },
    },
    {
      name: 'follows -r includes relative to the including file, through COPY of a directory',
      code: 'FROM python:3.11\nCOPY reqs /srv/reqs\nRUN pip install -r /srv/reqs/prod.txt\nUSER 1000\n',
      files: { 'reqs/prod.txt': '-r base.txt\ngunicorn\n', 'reqs/base.txt': 'django~=5.0\n' },
      errors: [
        { messageId: 'unpinned', line: 1, column: 1 },
        { messageId: 'unpinned', line: 2, column: 1 },
      ],
      resolutions: { 'pip-version:django:~=5.0:3.11': '5.0.7', 'pip-version:gunicorn::3.11': '22.0.0' },
      output: null,
      filesOutput: { 'reqs/base.txt': 'django==5.0.7\n', 'reqs/prod.txt': '-r base.txt\ngunicorn==22.0.0\n' },
    },
    {
      name: 'offline: reported, not pinned',
      code: DF,
      files: { 'requirements.txt': 'flask\n' },
      errors: [{ messageId: 'unpinned' }],
      output: null,
    },
  ],
});

describe('parseRequirements', () => {
  it('reads pip syntax: comments, continuations, options and direct references', () => {
    const text =
      'a==1\n  b >= 2 # c\nc\\\n  ==3\n--index-url https://idx/simple\n-r more.txt\n-e .\npkg @ https://x/p.whl\nd[x,y]; os_name=="nt"\n';
    const parsed = parseRequirements(text);
    expect(parsed.requirements.map((r) => [r.name, r.specifier, r.pinned, r.editable])).toEqual([
      ['a', '==1', true, true],
      ['b', '>= 2', false, true],
      ['c', '==3', true, false],
      ['d', '', false, true],
    ]);
    expect(parsed.includes).toEqual([{ path: 'more.txt', constraint: false }]);
    expect(parsed.indexUrl).toBe('https://idx/simple');
    const b = parsed.requirements[1];
    expect(text.slice(b.nameRange.start, b.nameRange.end)).toBe('b');
    expect(text.slice(b.specifierRange.start, b.specifierRange.end)).toBe('>= 2');
  });
});

describe('requirementsRefs', () => {
  const refs = async (code: string) =>
    requirementsRefs(parse(code, await testShell())).map((r) => r.contextPath);

  it('traces -r through WORKDIR, COPY of files, directories, globs and ARG defaults', async () => {
    expect(await refs(DF)).toEqual(['requirements.txt']);
    expect(
      await refs(
        'FROM python:3\nCOPY ./backend/requirements.txt /srv/requirements.txt\nRUN pip3 install -r /srv/requirements.txt\n',
      ),
    ).toEqual(['backend/requirements.txt']);
    expect(
      await refs(
        'FROM python:3\nWORKDIR /app\nCOPY *requirements.txt .\nRUN pip install -r requirements.txt -r test_requirements.txt\n',
      ),
    ).toEqual(['requirements.txt', 'test_requirements.txt']);
    expect(
      await refs(
        'FROM python:3\nARG src=app\nWORKDIR /w\nCOPY $src/requirements.txt .\nRUN pip install -rrequirements.txt\n',
      ),
    ).toEqual(['app/requirements.txt']);
    expect(
      await refs(
        'FROM python:3\nWORKDIR /usr/src/app\nARG REQ=requirements/prod.txt\nCOPY ./requirements ./requirements\nRUN python3 -m pip install -r ${REQ}\n',
      ),
    ).toEqual(['requirements/prod.txt']);
  });

  it('ignores files copied from other stages and unknown variables', async () => {
    expect(
      await refs(
        'FROM python:3 AS b\nFROM python:3\nCOPY --from=b /r.txt /r.txt\nRUN pip install -r /r.txt\n',
      ),
    ).toEqual([]);
    expect(await refs('FROM python:3\nCOPY . /app\nRUN pip install -r /app/$FILE\n')).toEqual([]);
  });
});

ruleTester.run(pipRequireHashes, {
  valid: [
    { name: 'off unless asked for', code: DF, files: { 'requirements.txt': 'flask==3.0.3\n' } },
    {
      code: DF,
      config: { requireHashes: true },
      files: {
        'requirements.txt': 'flask==3.0.3 --hash=sha256:abc\nrequests  # not pinned: the pin rule first\n',
      },
    },
  ],
  invalid: [
    {
      code: DF,
      config: { requireHashes: true },
      files: { 'requirements.txt': 'flask==3.0.3 ; python_version >= "3.8"  # web\r\n' },
      errors: [{ messageId: 'noHash', line: 1, column: 1 }],
      resolutions: { 'pip-hashes:flask:3.0.3': 'sha256:aaa sha256:bbb' },
      output: null,
      filesOutput: {
        'requirements.txt':
          'flask==3.0.3 ; python_version >= "3.8" \\\r\n    --hash=sha256:aaa \\\r\n    --hash=sha256:bbb  # web\r\n',
      },
    },
  ],
});
