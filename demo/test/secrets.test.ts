// The running demo must not hand out its keys, the shop's orders or the BFF's database, from any of its three servers
// (Vite's dev server, the merchant server with the BFF, the sandbox), whatever the path looks like. And a request for the
// database must not disturb the BFF: a file opened and closed by the BFF's own process drops SQLite's POSIX locks, after
// which another connection can checkpoint and delete the live WAL, and what the BFF writes next is lost at restart.
import { SqliteStore } from '@tsy/bff';
import { KEY_SET_FILES } from '@tsy/yunst';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { settingsFrom, startDemo, type RunningDemo } from '../server/dev.js';
import { bindPhone, Shopper, until } from './support/shopper.js';

const demoDir = fileURLToPath(new URL('..', import.meta.url));
/** Where `npm start` keeps its data. Only read here (its keys, when present, must not be served either). */
const defaultDataDir = join(demoDir, '.data');
/** This run's own data folder beside the default one, so a demo running meanwhile keeps its database. */
const dataDir = join(defaultDataDir, `test-secrets-${process.pid}`);
after(() => rmSync(dataDir, { recursive: true, force: true }));

const DB = 'bff/tsy-checkout.sqlite';
/** Every file of a data folder, relative to it. */
const DATA_FILES = [...Object.values(KEY_SET_FILES).map((name) => `keys/${name}`), 'shop.json', DB, `${DB}-wal`, `${DB}-shm`];

/** A GET with the path sent exactly as written (fetch would normalise `..` and `%2e`). */
function rawGet(base: string, path: string): Promise<{ status: number; body: Buffer }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const encodeDots = (path: string) => path.replaceAll('.', '%2e');
const encodeSlashes = (path: string) => path.replaceAll('/', '%2f');

/** The ways to ask for `file` (relative to the data folder `dir`) by URL: as a path under a root, through `/@fs/`, encoded. */
function pathsFor(dir: string, file: string): string[] {
  const rel = relative(demoDir, dir).split('\\').join('/');
  const abs = `${dir}/${file}`.split('\\').join('/').replace(/^([A-Za-z]):/, '/$1:');
  return [
    `/${rel}/${file}`,
    `/${rel}/${file}?raw`,
    `/${rel}/${file}?import&raw`,
    `/${rel}/${file}%3Fraw`,
    `/${encodeDots(rel)}/${file}`,
    `/${encodeDots(encodeDots(rel))}/${file}`,
    `/%2e${rel.slice(1)}/${encodeDots(file)}`,
    `/${encodeSlashes(rel)}/${encodeSlashes(file)}`,
    `/${rel.split('/')[0]}%2f${encodeSlashes(rel.split('/').slice(1).join('/'))}${rel.includes('/') ? '%2f' : ''}${file}`,
    `/../${rel}/${file}`,
    `/%2e%2e/${rel}/${file}`,
    `/..%2f${rel}/${file}`,
    `/web/../${rel}/${file}`,
    `/${file}`,
    `/${file.split('/').pop()}`,
    `/@fs${abs}`,
    `/@fs${encodeDots(abs)}`,
    `/@fs${abs}?raw`,
    `/@fs${abs}?import`,
    `/@fs${abs}?url`,
    `/@fs${abs}?import&raw`,
    `/@fs${abs}?raw??`,
    `/@fs/${encodeSlashes(abs.slice(1))}`,
    `/@fs${abs.replace(`/${rel}/`, `/web/../${rel}/`)}`,
  ];
}

/** Byte strings a response carrying a database file would contain (read from the format, not the files: see above). */
const DATABASE_MARKERS = [
  Buffer.from('SQLite format 3\0'),
  // WAL header: magic 0x377f0682 or 0x377f0683, format version 3007000.
  Buffer.from([0x37, 0x7f, 0x06, 0x82, 0x00, 0x2d, 0xe2, 0x18]),
  Buffer.from([0x37, 0x7f, 0x06, 0x83, 0x00, 0x2d, 0xe2, 0x18]),
  // WAL-index (-shm) header: iVersion 3007000 in native byte order, then 4 unused bytes of zero.
  Buffer.from([0x18, 0xe2, 0x2d, 0x00, 0x00, 0x00, 0x00, 0x00]),
  Buffer.from([0x00, 0x2d, 0xe2, 0x18, 0x00, 0x00, 0x00, 0x00]),
];

/** What a response must not contain: the keys and the shop's orders of a data folder (never a database file: read here, it would drop the BFF's locks). */
function secretsOf(dir: string): { name: string; bytes: Buffer }[] {
  const secrets: { name: string; bytes: Buffer }[] = [];
  for (const file of [...Object.values(KEY_SET_FILES).map((name) => `keys/${name}`), 'shop.json']) {
    if (!existsSync(join(dir, file))) continue;
    const bytes = readFileSync(join(dir, file));
    secrets.push({ name: file, bytes });
    // As a server might wrap it: a JS string (`?raw`), base64 (a data: URL).
    secrets.push({ name: `${file} (as a JS string)`, bytes: Buffer.from(JSON.stringify(bytes.toString('latin1')).slice(1, -1)) });
    secrets.push({ name: `${file} (base64)`, bytes: Buffer.from(bytes.toString('base64').slice(0, 64)) });
    // A part of it too, should a server send a range or a transformed copy.
    if (bytes.length > 64) secrets.push({ name: `${file} (part)`, bytes: bytes.subarray(bytes.length >> 1, (bytes.length >> 1) + 32) });
  }
  return secrets;
}

async function dbTouchedFromAnotherProcess(file: string): Promise<void> {
  // better-sqlite3 as the BFF loads it; a connection opened and closed as a backup tool or a second server would.
  const sqlite = createRequire(fileURLToPath(import.meta.resolve('@tsy/bff'))).resolve('better-sqlite3');
  const script = 'const D = require(process.argv[1]); const db = new D(process.argv[2]); db.prepare("select count(*) from sqlite_master").get(); db.close();';
  await promisify(execFile)(process.execPath, ['-e', script, sqlite, file]);
}

describe('the running demo hands out no key, password or database', () => {
  test('refuses a data folder inside a folder its web server serves, before writing a key there', async () => {
    const settings = settingsFrom({ TSY_DEMO_PORT: '0', TSY_BFF_PORT: '0', TSY_SANDBOX_PORT: '0', TSY_DEMO_DATA_DIR: join(demoDir, 'web', 'public', `.data-${process.pid}`) });
    await assert.rejects(startDemo(demoDir, settings, () => {}), /lies inside .*web.*which the demo's web server serves/);
    assert.ok(!existsSync(settings.dataDir!), 'nothing written there');
    const widgets = fileURLToPath(new URL(`../../packages/widgets/dist/.data-${process.pid}`, import.meta.url));
    await assert.rejects(startDemo(demoDir, settings, () => {}, { dataDir: widgets }), /which the demo's web server serves/);
    assert.ok(!existsSync(widgets));
  });

  test('no server answers a data file, however asked; the BFF database keeps every payment afterwards', { timeout: 120_000 }, async () => {
    let demo: RunningDemo | undefined;
    try {
      demo = await startDemo(demoDir, settingsFrom({ TSY_DEMO_PORT: '0', TSY_BFF_PORT: '0', TSY_SANDBOX_PORT: '0' }), () => {}, { dataDir, notificationTimeScale: 0.001 });
      const { urls } = demo;

      // Every file there, with something in it: a bound phone (the database and its WAL), an order (shop.json).
      const shopper = new Shopper(urls.demo);
      const placed = await shopper.call('POST', '/api/shop/orders', { items: [{ productId: 'mug', quantity: 1 }] });
      assert.equal(placed.status, 201);
      await bindPhone(shopper, urls.sandbox, '13900000077');
      for (const file of DATA_FILES) assert.ok(existsSync(join(dataDir, file)), `${file} exists, so a server could serve it`);

      const secrets = [...secretsOf(dataDir), ...secretsOf(defaultDataDir)];
      assert.ok(secrets.some((secret) => secret.name === `keys/${KEY_SET_FILES.merchantPfxPassword}`));
      const paths = [...new Set(DATA_FILES.flatMap((file) => [...pathsFor(dataDir, file), ...pathsFor(defaultDataDir, file)]))];
      const served: string[] = [];
      // The demo also proxies /sandbox/jsbridge… to the sandbox: climbing out of that prefix must reach nothing either.
      const proxied = paths.flatMap((path) => [`/sandbox/jsbridge/..${path}`, `/sandbox/jsbridge/%2e%2e${path}`]);
      for (const base of [urls.demo, urls.merchant, urls.sandbox]) {
        for (const path of base === urls.demo ? [...paths, ...proxied] : paths) {
          const { status, body } = await rawGet(base, path);
          for (const secret of secrets) if (body.includes(secret.bytes)) served.push(`${base}${path} → HTTP ${status} with ${secret.name}`);
          for (const marker of DATABASE_MARKERS) if (body.includes(marker)) served.push(`${base}${path} → HTTP ${status} with a database file`);
          if (path.startsWith('/@fs/') && base === urls.demo && status < 400) served.push(`${base}${path} → HTTP ${status}`);
        }
      }

      // Another connection to the database comes and goes, then the BFF writes: the payment must survive a restart.
      const dbFile = join(dataDir, DB);
      await dbTouchedFromAnotherProcess(dbFile);
      assert.ok(existsSync(`${dbFile}-wal`), 'the live WAL is still there');
      const payment = await shopper.call('POST', `/api/checkout/orders/${placed.body.order.id}/payments`, { method: 'SCAN_WEIXIN' });
      assert.equal(payment.status, 201, JSON.stringify(payment.body));
      const bizOrderNo: string = payment.body.bizOrderNo;
      await dbTouchedFromAnotherProcess(dbFile);
      await until('the payment readable', async () => ((await shopper.call('GET', `/api/checkout/payments/${bizOrderNo}`)).status === 200 ? true : undefined));
      await demo.close();
      demo = undefined;
      const store = new SqliteStore({ file: dbFile });
      try {
        const kept = await store.getPayment(bizOrderNo);
        assert.equal(kept?.merchantOrderId, placed.body.order.id, 'the payment is in the database after the restart');
      } finally {
        await store.close();
      }
      assert.deepEqual(served, [], 'no response carries a data file');
    } finally {
      await demo?.close();
    }
  });
});
