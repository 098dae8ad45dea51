#!/usr/bin/env node
// Runs the compiled CLI (`pnpm --filter @tsy/sandbox run build` first); `pnpm start` at the repository root does both.
import { main } from '../dist/cli.js';

const code = await main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
