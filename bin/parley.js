#!/usr/bin/env node
// Runs the TypeScript CLI directly: Parley ships as source, tsx compiles on the fly.
// Not set here: --max-semi-space-size=4 (~10 MB lower peak in `nlu bench`). V8 reads it only at
// start-up, so it would take a second node process (~40 MB, +80 ms per command); for a lower peak,
// run `node --max-semi-space-size=4 bin/parley.js …` (bench child processes inherit it).
process.env.DOTENV_CONFIG_QUIET = 'true';
require('tsx/cjs');
require('../cli/main.ts');
