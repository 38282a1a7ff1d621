/**
 * `npm run test:unit`: the in-process layer — mapping, validation, contract fixtures, Fastify
 * `inject` — with no server on a socket. Like every jest run here, files are transpiled without
 * a per-file type-check (`npm run typecheck` does that once).
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/unit'],
};
