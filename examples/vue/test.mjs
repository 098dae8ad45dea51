import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { checkExample } from '../check-example.mjs';

await checkExample(chromium, fileURLToPath(new URL('./dist/', import.meta.url)));
