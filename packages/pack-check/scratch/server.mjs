// The scratch app's merchant server: the BFF mounted in an Express app, against the sandbox, both imported from the
// installed tarballs (this folder has no workspace around it). Serves the Vite build too, so the page and its
// /api/checkout share an origin as on a real shop. Prints one JSON line with its URLs, then runs until SIGTERM.
import express from 'express';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCheckoutRouter } from '@tsy/bff';
import { createSandbox } from '@tsy/sandbox';

const { KEYS_DIR: keys, DATA_DIR: dataDir, WEB_DIR: webDir } = process.env;
if (!keys || !dataDir || !webDir) throw new Error('KEYS_DIR, DATA_DIR and WEB_DIR are required');
const sysid = '1902271423530473681';

const sandbox = createSandbox({ sysid, merchantCertFile: join(keys, 'merchant.cer'), platformKeyFile: join(keys, 'platform.key') });
const platform = await sandbox.listen(0, '127.0.0.1');

// The merchant's orders: the amount comes from here only. SO-HTTP is paid over plain HTTP, SO-PAGE is the page's.
const orders = new Map([
  ['SO-HTTP', { amount: 1234, subject: 'Longjing tea', payer: { bizUserId: 'scratch-payer-http' } }],
  ['SO-PAGE', { amount: 880, subject: 'Tea cup', payer: { bizUserId: 'scratch-payer-page' } }],
]);

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const merchantUrl = `http://127.0.0.1:${server.address().port}`;

const router = createCheckoutRouter(
  {
    sysid,
    merchantKey: { pfxFile: join(keys, 'merchant.pfx'), password: readFileSync(join(keys, 'merchant.pfx.password'), 'utf8').trim() },
    platformCertFile: join(keys, 'platform.cer'),
    environment: 'sandbox',
    sandboxUrl: platform.url,
    publicBaseUrl: merchantUrl,
    dataDir,
    // No background checks; a status read asks the platform, so a read right after the wallet paid sees the success.
    reconciliation: { afterSeconds: 3600, intervalSeconds: 3600, onDemandSeconds: 0 },
  },
  {
    resolveOrder: (merchantOrderId) => orders.get(merchantOrderId),
    // The page's requests name no payer: they are the order's. The phone steps name theirs in x-payer.
    resolvePayer: (req, about) => {
      const named = req.get('x-payer');
      if (named) return { bizUserId: named };
      const order = about.merchantOrderId === undefined ? undefined : orders.get(about.merchantOrderId);
      return order && { bizUserId: order.payer.bizUserId };
    },
  },
  { log: () => {} },
);
server.on('request', express().use(express.static(webDir)).use(router));

process.stdout.write(`${JSON.stringify({ merchantUrl, sandboxUrl: platform.url })}\n`);
process.once('SIGTERM', async () => {
  await Promise.all([new Promise((resolve) => server.close(resolve)), router.close()]);
  sandbox.close();
  await platform.close();
  process.exit(0);
});
