import { compareDebianVersions } from '../../src/resolve/dpkg-version';
import { chooseTag } from '../../src/resolve/tag-choice';

describe('compareDebianVersions', () => {
  const sorted = [
    '1.0~rc1',
    '1.0',
    '1.0-1',
    '1.0-1+deb12u1',
    '1.0-2',
    '1.0a',
    '1.0.1',
    '1.2',
    '1.10',
    '7.88.1-10',
    '7.88.1-10+deb12u5',
    '7.88.1-10+deb12u12',
    '1:0.1',
    '2:0',
  ];
  it('orders versions as dpkg does', () => {
    const shuffled = [...sorted].reverse();
    expect(shuffled.sort(compareDebianVersions)).toEqual(sorted);
    expect(compareDebianVersions('1.0~', '1.0')).toBeLessThan(0);
    expect(compareDebianVersions('1.0', '1.0')).toBe(0);
    expect(compareDebianVersions('0:1.0', '1.0')).toBe(0);
  });
});

describe('chooseTag', () => {
  const tags = [
    '3',
    '3.11',
    '3.11.8',
    '3.11.9',
    '3.11.9-slim',
    '3.11.10-slim',
    '3.11-slim',
    '3.12.4',
    '3.13.0rc1',
    '3.13.0',
    'latest',
    'slim',
    '3.11.9-slim-bookworm',
  ];
  it('picks the most specific newest tag of the same line and variant', () => {
    expect(chooseTag('3.11', tags)).toBe('3.11.9');
    expect(chooseTag('3.11-slim', tags)).toBe('3.11.10-slim');
    expect(chooseTag('3.11-slim-bookworm', tags)).toBe('3.11.9-slim-bookworm');
    expect(chooseTag('latest', tags)).toBe('3.13.0');
    expect(chooseTag('', tags)).toBe('3.13.0');
  });
  it('finds nothing for tags already specific, unknown variants or non-version tags', () => {
    expect(chooseTag('3.11.9', tags)).toBeUndefined();
    expect(chooseTag('3.11-alpine', tags)).toBeUndefined();
    expect(chooseTag('bookworm', tags)).toBeUndefined();
  });
});

describe('snapshotStamp', () => {
  it('writes the time to the hour in the snapshot archive form', async () => {
    const { snapshotStamp } = await import('../../src/resolve/apt-snapshot');
    expect(snapshotStamp(Date.UTC(2024, 0, 10, 12, 34, 56))).toBe('20240110T120000Z');
  });
});
