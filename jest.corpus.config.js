/**
 * `npm run test:corpus`: checks over the shared corpus of real-world Dockerfiles, read from
 * HARDEN_CORPUS_DIR or ../shared/corpus. A missing corpus fails the run (it is never skipped).
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/corpus'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 120000,
};
