import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type Forge from 'node-forge';
import { forge } from './forge.js';

/** The merchant's signing/decryption key. Built once: every signature reuses the same KeyObject. */
export interface MerchantKey {
  readonly privateKey: KeyObject;
  /** The merchant certificate when the key came from a `.pfx` that carries one. */
  readonly certificate?: X509Certificate;
}

/** The platform's verification/encryption key, from the certificate downloaded from the YunST portal. */
export interface PlatformKey {
  readonly publicKey: KeyObject;
  readonly certificate?: X509Certificate;
}

/** A key or certificate file that cannot be used; the message always names the file. */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
  constructor(
    readonly file: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${reason}`, options);
  }
}

function readKeyFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KeyFileError(file, code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(error)})`, { cause: error });
  }
}

/**
 * Reads a PKCS#12 archive. node-forge does the parsing because the platform issues `.pfx` files in the legacy format
 * (RC2-40 certificate bag, 3DES key bag) that OpenSSL 3 — and so node:crypto — refuses. The key then becomes a node:crypto
 * KeyObject: forge is ~70x slower at RSA, so it never signs.
 */
export function merchantKeyFromPkcs12(pfx: Buffer, password: string, label = 'PKCS#12'): MerchantKey {
  let p12: Forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge().asn1.fromDer(forge().util.createBuffer(pfx.toString('binary')));
    p12 = forge().pkcs12.pkcs12FromAsn1(asn1, true, password);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const reason = /mac could not be verified|invalid password/i.test(text)
      ? 'wrong password (the PKCS#12 integrity check failed)'
      : `not a readable PKCS#12 file (${text})`;
    throw new KeyFileError(label, reason, { cause: error });
  }
  const bagsOf = (bagType: string) => p12.getBags({ bagType })[bagType] ?? [];
  const keyBags = [...bagsOf(forge().pki.oids.pkcs8ShroudedKeyBag!), ...bagsOf(forge().pki.oids.keyBag!)];
  const forgeKey = keyBags.find((bag) => bag.key)?.key;
  if (!forgeKey) throw new KeyFileError(label, 'the PKCS#12 file holds no private key');
  const privateKey = createPrivateKey(forge().pki.privateKeyToPem(forgeKey));
  const certBag = bagsOf(forge().pki.oids.certBag!).find((bag) => bag.cert);
  const certificate = certBag?.cert
    ? new X509Certificate(Buffer.from(forge().asn1.toDer(forge().pki.certificateToAsn1(certBag.cert)).getBytes(), 'binary'))
    : undefined;
  if (certificate && !certificate.checkPrivateKey(privateKey)) {
    throw new KeyFileError(label, 'the certificate in the PKCS#12 file does not belong to its private key');
  }
  return certificate ? { privateKey, certificate } : { privateKey };
}

/** Reads a private key in PEM (PKCS#1 or PKCS#8, optionally encrypted with `passphrase`). */
export function merchantKeyFromPem(pem: string | Buffer, passphrase?: string, label = 'PEM key'): MerchantKey {
  try {
    const privateKey = createPrivateKey(passphrase === undefined ? { key: pem, format: 'pem' } : { key: pem, format: 'pem', passphrase });
    if (privateKey.asymmetricKeyType !== 'rsa') throw new Error(`an RSA key is required, found ${privateKey.asymmetricKeyType}`);
    return { privateKey };
  } catch (error) {
    if (error instanceof KeyFileError) throw error;
    const text = error instanceof Error ? error.message : String(error);
    const reason = /bad decrypt|passphrase/i.test(text) ? 'wrong password for the encrypted PEM key' : `not a readable PEM private key (${text})`;
    throw new KeyFileError(label, reason, { cause: error });
  }
}

/**
 * Loads the merchant key from a file: a `.pfx`/`.p12` (password required) or a PEM private key.
 * The format is recognised from the content, not the file name.
 */
export function loadMerchantKey(file: string, password?: string): MerchantKey {
  const content = readKeyFile(file);
  if (content.includes('-----BEGIN')) return merchantKeyFromPem(content, password, file);
  if (password === undefined) throw new KeyFileError(file, 'a password is required for a PKCS#12 (.pfx) file');
  return merchantKeyFromPkcs12(content, password, file);
}

/**
 * Turns certificate bytes into DER, tolerating what portals and mail clients do to `.cer` files: the base64 body on one
 * line, CRLF line ends, no newline before or after the END line, or a bare base64 body with no PEM armour at all.
 */
export function certificateDer(content: Buffer): Buffer {
  const text = content.toString('latin1');
  const armoured = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(text);
  if (armoured) return Buffer.from(armoured[1]!.replace(/\s+/g, ''), 'base64');
  const bare = text.replace(/\s+/g, '');
  // DER starts with a SEQUENCE tag (0x30), which is never a base64 character, so a bare base64 body is unambiguous.
  if (content[0] !== 0x30 && /^[A-Za-z0-9+/]+=*$/.test(bare)) return Buffer.from(bare, 'base64');
  return content;
}

export function certificateFromBytes(content: Buffer, label = 'certificate'): X509Certificate {
  try {
    return new X509Certificate(certificateDer(content));
  } catch (error) {
    throw new KeyFileError(label, `not a readable X.509 certificate (${error instanceof Error ? error.message : String(error)})`, {
      cause: error,
    });
  }
}

/** Loads the platform's public key from its `.cer` (PEM or DER), or from a bare PEM public key. */
export function loadPlatformKey(file: string): PlatformKey {
  const content = readKeyFile(file);
  if (content.includes('-----BEGIN PUBLIC KEY-----') || content.includes('-----BEGIN RSA PUBLIC KEY-----')) {
    try {
      return { publicKey: createPublicKey(content) };
    } catch (error) {
      throw new KeyFileError(file, 'not a readable PEM public key', { cause: error });
    }
  }
  const certificate = certificateFromBytes(content, file);
  return { publicKey: certificate.publicKey, certificate };
}

/** The size of an RSA modulus in bytes (the PKCS#1 block size). */
export function modulusBytes(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (!bits) throw new Error('an RSA key is required');
  return Math.ceil(bits / 8);
}
