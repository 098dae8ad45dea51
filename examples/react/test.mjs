import * as testing from '@tsy/testing';
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { checkExample } from '../check-example.mjs';

await checkExample({ chromium, testing }, fileURLToPath(new URL('./dist/', import.meta.url)));
