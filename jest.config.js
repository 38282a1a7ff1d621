/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['reflect-metadata'],
  // Integration suites start real servers; two workers fit the 2-core machines.
  maxWorkers: 2,
  // A worker past this after a file is replaced: workers at ~850 MB were slow to exit on a
  // saturated machine (jest's "worker failed to exit" warning).
  workerIdleMemoryLimit: '512MB',
  testTimeout: 30000,
  // Transpile only (tsconfig.jest.json): `npm test` type-checks everything once before jest runs.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
};
