#!/usr/bin/env node
// The `es-scaler` executable (package.json "bin"). It always runs: whether node was started on this
// file, on npm's bin symlink (npm link, npm install -g, npx) or through a wrapper, nothing here
// compares paths. The command tree lives in program.ts, which tests import.
import { main } from './program.js';

process.exit(await main(process.argv.slice(2)));
