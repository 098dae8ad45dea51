// The last step of `pnpm --filter @tsy/demo run build`: Vite builds the shop and the style guide into dist/web (with the
// configuration `npm start` uses, from the compiled server code).
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const { demoViteConfig } = await import(new URL('../dist/server/vite-config.js', import.meta.url).href);
await build({ ...demoViteConfig(demoDir), logLevel: 'warn' });
console.log('demo: built dist/web (index.html, styleguide.html, cashier.html)');
