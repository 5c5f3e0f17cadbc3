/**
 * The README's test command: everything a fresh clone can run. The corpus suite (test/corpus, the
 * shared real-world Dockerfiles) runs with `npm run test:corpus`; see jest.corpus.config.js.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/corpus/'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 60000,
};
