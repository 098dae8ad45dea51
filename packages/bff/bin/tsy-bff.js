#!/usr/bin/env node
import { main } from '../dist/server/tsy-bff.js';

const code = await main();
if (code !== 0) process.exitCode = code;
