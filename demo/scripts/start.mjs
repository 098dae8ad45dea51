// `pnpm --filter @tsy/demo run start` (the last step of `npm start` at the repository root): runs the YunST sandbox, the
// demo merchant server and Vite's dev server together. Needs `pnpm -r run build` first (the server is compiled TypeScript).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const entry = new URL('../dist/server/dev.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('tsy demo: the server is not built yet — run `pnpm -r run build` (or `npm start` at the repository root)');
  process.exit(1);
}
const { main } = await import(entry.href);
await main(demoDir);
