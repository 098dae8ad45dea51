// The scratch shop in Vite's dev server (the mode that resolves a `development` export condition), its /api proxied
// to the merchant server. Prints its URL as one JSON line, then runs until SIGTERM.
import { createServer } from 'vite';
import { fileURLToPath } from 'node:url';

const merchantUrl = process.env.MERCHANT_URL;
if (!merchantUrl) throw new Error('MERCHANT_URL is required');
const server = await createServer({
  root: fileURLToPath(new URL('.', import.meta.url)),
  configFile: false,
  logLevel: 'warn',
  server: { host: '127.0.0.1', port: 0, strictPort: true, proxy: { '/api': merchantUrl } },
});
await server.listen();
process.stdout.write(`${JSON.stringify({ url: server.resolvedUrls.local[0] })}\n`);
process.once('SIGTERM', async () => {
  await server.close();
  process.exit(0);
});
