import { X509Certificate, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { forge } from './forge.js';
import { exportPkcs12, type Pkcs12Format } from './pkcs12-export.js';

/** The file names `writeKeySet` writes inside its directory. */
export const KEY_SET_FILES = {
  merchantPfx: 'merchant.pfx',
  merchantPfxPassword: 'merchant.pfx.password',
  merchantCer: 'merchant.cer',
  platformKey: 'platform.key',
  platformCer: 'platform.cer',
} as const;

/** Where a generated key set was written (absolute paths), and the `.pfx` password. */
export interface KeySetPaths {
  readonly dir: string;
  /** The merchant key and certificate, PKCS#12 in `format`. */
  readonly merchantPfx: string;
  /** The file holding `password`, with no trailing newline. */
  readonly merchantPfxPassword: string;
  readonly password: string;
  readonly format: Pkcs12Format;
  /** The merchant certificate (PEM): what the platform side verifies and encrypts with. */
  readonly merchantCer: string;
  /** The platform's private key (PKCS#8 PEM, unencrypted): what a sandbox platform signs and decrypts with. */
  readonly platformKey: string;
  /** The platform certificate (PEM): what the merchant side verifies and encrypts with. */
  readonly platformCer: string;
}

export interface KeySetOptions {
  /** Write `merchant.pfx` as OpenSSL 3's default (AES-256/PBES2) rather than the platform's legacy RC2-40/3DES layout. */
  readonly modern?: boolean;
}

/** A self-signed RSA certificate (SHA-256), valid from an hour ago for ten years. */
export function createSelfSignedCertificate(privateKey: KeyObject, publicKey: KeyObject, commonName: string): X509Certificate {
  const cert = forge().pki.createCertificate();
  cert.publicKey = forge().pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x40; // positive, and no leading zero byte
  cert.serialNumber = serial.toString('hex');
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + 10 * 365 * 24 * 60 * 60 * 1000);
  const name = [
    { name: 'commonName', value: commonName },
    { name: 'organizationName', value: 'tsy-checkout sandbox' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true, dataEncipherment: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge().pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge().md.sha256.create());
  return new X509Certificate(Buffer.from(forge().asn1.toDer(forge().pki.certificateToAsn1(cert)).getBytes(), 'binary'));
}

function rsaKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
}

/**
 * Generates a test key set — a merchant key pair and a platform key pair, RSA-2048 with self-signed certificates — and
 * writes it to `outDir` (created if needed; files already there are overwritten):
 *
 * - `merchant.pfx`: merchant key + certificate; legacy PKCS#12 as the portal issues it (RC2-40 certificate bag, 3DES key
 *   bag, SHA-1 MAC), or AES-256/PBES2 with `modern`;
 * - `merchant.pfx.password`: its random password, no trailing newline;
 * - `merchant.cer`, `platform.cer`: the certificates (PEM); `platform.key`: the platform private key (PKCS#8 PEM).
 *
 * Private key files and the password file are created readable by the owner only.
 */
export function writeKeySet(outDir: string, options: KeySetOptions = {}): KeySetPaths {
  const dir = resolve(outDir);
  const format: Pkcs12Format = options.modern ? 'modern' : 'legacy';
  const merchant = rsaKeyPair();
  const platform = rsaKeyPair();
  const merchantCertificate = createSelfSignedCertificate(merchant.privateKey, merchant.publicKey, 'tsy-yunst sandbox merchant');
  const platformCertificate = createSelfSignedCertificate(platform.privateKey, platform.publicKey, 'tsy-yunst sandbox platform');
  // Hex: plain ASCII that never starts with '-', so it passes safely as a command-line argument.
  const password = randomBytes(16).toString('hex');
  const pfx = exportPkcs12(merchant.privateKey, merchantCertificate, password, { format, friendlyName: 'merchant' });

  const paths: KeySetPaths = {
    dir,
    merchantPfx: join(dir, KEY_SET_FILES.merchantPfx),
    merchantPfxPassword: join(dir, KEY_SET_FILES.merchantPfxPassword),
    password,
    format,
    merchantCer: join(dir, KEY_SET_FILES.merchantCer),
    platformKey: join(dir, KEY_SET_FILES.platformKey),
    platformCer: join(dir, KEY_SET_FILES.platformCer),
  };
  mkdirSync(dir, { recursive: true });
  const secret = { mode: 0o600 };
  writeFileSync(paths.merchantPfx, pfx, secret);
  writeFileSync(paths.merchantPfxPassword, password, secret);
  writeFileSync(paths.merchantCer, merchantCertificate.toString());
  writeFileSync(paths.platformKey, platform.privateKey.export({ type: 'pkcs8', format: 'pem' }), secret);
  writeFileSync(paths.platformCer, platformCertificate.toString());
  return paths;
}
