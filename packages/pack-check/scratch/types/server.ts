// A merchant's TypeScript server against the published types of @tsy/bff, @tsy/sandbox and @tsy/yunst (with the
// @types/express and @types/node such a project has anyway). Compiled only, never run.
import express from 'express';
import { createCheckoutRouter, type ResolvedOrder } from '@tsy/bff';
import { createSandbox } from '@tsy/sandbox';
import { loadPlatformKey } from '@tsy/yunst';

const orders = new Map<string, ResolvedOrder>();
const app = express();
const router = createCheckoutRouter(
  { sysid: '1', merchantKey: { pfxFile: 'merchant.pfx', password: 'p' }, platformCertFile: 'platform.cer', environment: 'sandbox', sandboxUrl: 'http://127.0.0.1:8686', publicBaseUrl: 'http://127.0.0.1:8787', dataDir: 'data' },
  { resolveOrder: (id) => orders.get(id), resolvePayer: (req) => ({ bizUserId: req.get('x-payer') ?? 'x' }) },
);
app.use(router);
const sandbox = createSandbox({ sysid: '1', merchantCertFile: 'merchant.cer', platformKeyFile: 'platform.key' });
const listening: Promise<{ url: string }> = sandbox.listen(0);
console.log(listening, router.services, loadPlatformKey);
