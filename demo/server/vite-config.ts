import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { searchForWorkspaceRoot, type InlineConfig, type Plugin } from 'vite';
import { refuseSecretFiles } from './file-guard.js';

/** What the policy must allow beyond the page's own origin. */
export interface PolicyOptions {
  /**
   * Origins of the platform's front pages (`frontTrans.do`, `pwd/payOrder.html`; in the demo, the sandbox's), which the
   * checkout's gateway and password forms post to: `form-action` names them, and nothing else.
   */
  readonly formActionOrigins?: readonly string[];
}

/**
 * The Content Security Policy of the demo's pages, in development (Vite's dev server) and in the built pages alike. No
 * 'unsafe-inline' anywhere and no `data:`: the widgets style themselves with constructable stylesheets, draw the QR and
 * their icons as inline SVG elements and run no inline script; the shop's own CSS is a `<link>`ed file and its code a
 * module file; the sandbox's JS bridge emulator is a file proxied to this origin. `connect-src 'self'` covers the BFF
 * (same origin, through the proxy), its Server-Sent Events and Vite's HMR WebSocket (CSP Level 3: 'self' also matches
 * ws: on the page's own host and port). `frame-ancestors 'self'`: only the shop's own pages may frame it (a checkout in a
 * frame posts its forms to the top window). A redirect to a wallet is a navigation, which CSP does not govern: the
 * checkout checks those hosts against the BFF's list.
 */
export function contentSecurityPolicy(options: PolicyOptions = {}): string {
  const formAction = ["'self'", ...new Set((options.formActionOrigins ?? []).map((origin) => new URL(origin).origin))];
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action ${formAction.join(' ')}`,
    "frame-ancestors 'self'",
  ].join('; ');
}

/** The pages Vite serves and builds, in `webRootOf(demoDir)`. */
export const DEMO_PAGES = { main: 'index.html', styleguide: 'styleguide.html', cashier: 'cashier.html' } as const;

/** Vite's root: the pages, their code and `public/`, and nothing else of the demo (not its server code, not its data). */
export const webRootOf = (demoDir: string): string => join(demoDir, 'web');

/**
 * Every folder Vite's dev server serves files from (its `server.fs.allow`: also through `/@fs/<absolute path>`): the web
 * root, Vite's pre-bundled dependencies, the widgets' built code and the workspace's installed packages. Vite's default
 * would be the whole workspace, the demo's data folder and every key in it included.
 */
export function servedFolders(demoDir: string): string[] {
  const widgets = dirname(realpathSync(createRequire(join(demoDir, 'package.json')).resolve('@tsy/widgets/package.json')));
  return [webRootOf(demoDir), viteCacheDirOf(demoDir), join(widgets, 'dist'), join(searchForWorkspaceRoot(demoDir), 'node_modules')];
}

const viteCacheDirOf = (demoDir: string): string => join(demoDir, 'node_modules', '.vite');

/**
 * Never served even inside an allowed folder (Vite matches a pattern without `/` against the file name): Vite's own
 * defaults, dot folders other than the two tools' own ones, and key, certificate, password and database files.
 */
export const DENIED_FILES = ['.env', '.env.*', '*.{crt,pem}', '**/.git/**', '**/.!(vite|pnpm)/**', '.*', '*.{pfx,p12,key,cer,password,sqlite,sqlite3,db}', '*-{wal,shm,journal}'];

/**
 * The powerful features the pages may use: the camera for the cashier's scanner (this origin only, never a framed page of
 * another one), nothing else. The camera needs no CSP change: the stream goes to a <video> as a MediaStream, not a URL.
 */
export const PERMISSIONS_POLICY = 'camera=(self), microphone=(), geolocation=(), usb=(), serial=(), hid=()';

/** Sends the policy (and a few companions) with every response of the dev server (and of a preview server). */
function securityHeaders(policy: string): Plugin {
  const headers = (_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    res.setHeader('Content-Security-Policy', policy);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    next();
  };
  return {
    name: 'tsy-demo-security-headers',
    configureServer: (server) => void server.middlewares.use(headers),
    configurePreviewServer: (server) => void server.middlewares.use(headers),
  };
}

/** Refuses dot paths and key and database files before any of Vite's own middleware (which runs after these hooks) looks. */
function secretFileGuard(): Plugin {
  return {
    name: 'tsy-demo-secret-file-guard',
    configureServer: (server) => void server.middlewares.use(refuseSecretFiles()),
    configurePreviewServer: (server) => void server.middlewares.use(refuseSecretFiles()),
  };
}

/** The Vite configuration shared by `npm start` (dev server) and `pnpm --filter @tsy/demo run build` (dist/web). */
export function demoViteConfig(demoDir: string, policy: PolicyOptions = {}): InlineConfig {
  const root = webRootOf(demoDir);
  return {
    root,
    cacheDir: viteCacheDirOf(demoDir),
    configFile: false,
    clearScreen: false,
    // `/checkout/result` (and any other path) is the shop page; `/styleguide.html` is a page of its own.
    appType: 'spa',
    plugins: [secretFileGuard(), securityHeaders(contentSecurityPolicy(policy))],
    server: { fs: { strict: true, allow: servedFolders(demoDir), deny: DENIED_FILES } },
    // Scan both pages up front, so the widgets' dependencies (lit, and qrcode for the lazy QR chunk) are pre-bundled at
    // start and no "new dependency found, reloading" interrupts a first checkout.
    optimizeDeps: { entries: Object.values(DEMO_PAGES) },
    build: {
      outDir: join(demoDir, 'dist', 'web'),
      emptyOutDir: true,
      // Nothing inlined as a data: URL (the policy's img-src/font-src have no data:).
      assetsInlineLimit: 0,
      rollupOptions: { input: Object.fromEntries(Object.entries(DEMO_PAGES).map(([name, file]) => [name, join(root, file)])) },
    },
  };
}
