#!/usr/bin/env node
import { main } from '../dist/server/tsy-bff.js';

const code = await main(process.env, process.argv.slice(2));
if (code !== 0) process.exitCode = code;
