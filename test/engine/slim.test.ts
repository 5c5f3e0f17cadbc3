import type { HardenResult } from '../../src/engine/harden';
import { wheelFits } from '../../src/resolve/pypi';
import { fixWithAll } from '../harness/rule-tester';

const DIGEST = `sha256:${'3'.repeat(64)}`;

const fix = fixWithAll;

const slimSkip = (r: HardenResult) => r.skipped.find((s) => s.ruleId === 'prefer-slim-base')?.reason;
const APP =
  'FROM python:3.11\nUSER app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n';

describe('the slim swap is only made where pip needs no compiler', () => {
  it('wheels: a pure one, a CPython one for this version or the stable ABI, for glibc or musl', () => {
    expect(wheelFits('flask-3.0.3-py3-none-any.whl', '3.11', 'gnu')).toBe(true);
    expect(
      wheelFits(
        'psycopg2_binary-2.9.9-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
        '3.11',
        'gnu',
      ),
    ).toBe(true);
    expect(wheelFits('psycopg2_binary-2.9.9-cp312-cp312-manylinux_2_17_x86_64.whl', '3.11', 'gnu')).toBe(
      false,
    );
    expect(wheelFits('cryptography-43.0.0-cp39-abi3-manylinux_2_28_x86_64.whl', '3.11', 'gnu')).toBe(true);
    expect(wheelFits('cryptography-43.0.0-cp39-abi3-musllinux_1_2_x86_64.whl', '3.11', 'gnu')).toBe(false);
    expect(wheelFits('cryptography-43.0.0-cp39-abi3-musllinux_1_2_x86_64.whl', '3.11', 'musl')).toBe(true);
    expect(wheelFits('numpy-2.1.0-cp311-cp311-win_amd64.whl', '3.11', 'gnu')).toBe(false);
    expect(wheelFits('numpy-2.1.0-cp311-cp311-manylinux_2_17_aarch64.whl', '3.11', 'gnu')).toBe(false);
  });

  it('every package has a wheel: the final stage becomes slim', async () => {
    const r = await fix(
      APP,
      {
        'oci-digest:docker.io/library/python:3.11-slim': DIGEST,
        'pip-wheel:flask:==3.0.3:3.11:gnu': 'wheel',
      },
      { 'requirements.txt': 'flask==3.0.3\n' },
    );
    expect(r.output).toMatch(/^FROM python:3\.11-slim@sha256:3{64}$/m);
  });

  it('a package the index serves as source only: the full base stays, and the report says why', async () => {
    const r = await fix(
      APP,
      {
        'oci-digest:docker.io/library/python:3.11-slim': DIGEST,
        'pip-wheel:flask:==3.0.3:3.11:gnu': 'wheel',
        'pip-wheel:psycopg2:==2.9.9:3.11:gnu': 'sdist 2.9.9',
      },
      { 'requirements.txt': 'flask==3.0.3\npsycopg2==2.9.9\n' },
    );
    expect(r.output).toMatch(/^FROM python:3\.11$/m);
    expect(slimSkip(r)).toMatch(/psycopg2 2\.9\.9 has no wheel .* pip would compile it/);
  });

  it('offline, a package known to build from source; a git requirement', async () => {
    const offline = await fix(APP, {}, { 'requirements.txt': 'psycopg2>=2.9\n' });
    expect(offline.output).toMatch(/^FROM python:3\.11$/m);
    const git = await fix(
      APP,
      { 'oci-digest:docker.io/library/python:3.11-slim': DIGEST },
      {
        'requirements.txt': 'git+https://example.com/lib.git@v1#egg=lib\n',
      },
    );
    expect(slimSkip(git)).toMatch(/needs git/);
  });
});
