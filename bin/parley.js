#!/usr/bin/env node
// Runs the TypeScript CLI directly: Parley ships as source, tsx compiles on the fly.
process.env.DOTENV_CONFIG_QUIET = 'true';
require('tsx/cjs');
require('../cli/main.ts');
