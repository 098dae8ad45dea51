import { createCipheriv, createHash, createHmac, pbkdf2Sync, randomBytes, type KeyObject, type X509Certificate } from 'node:crypto';
import { forge } from './forge.js';

/**
 * Writing PKCS#12 (`.pfx`) files, in the platform's legacy layout or in the modern one.
 *
 * - `legacy` is what the YunST portal issues: the certificate bag sits in an EncryptedData encrypted with
 *   pbeWithSHAAnd40BitRC2-CBC, the key in a pkcs8ShroudedKeyBag encrypted with pbeWithSHAAnd3-KeyTripleDES-CBC, and a
 *   SHA-1 MAC. OpenSSL 3 (and so node:crypto) reads it only with `-legacy`; Java's KeyStore and node-forge read it. A test
 *   key set in this format exercises the same loading path as a real merchant file.
 * - `modern` is OpenSSL 3's default: PBES2 (PBKDF2 with HMAC-SHA-256, AES-256-CBC) for both bags, and a SHA-256 MAC.
 *
 * node-forge cannot encrypt a certificate bag with RC2-40 (its `toPkcs12Asn1` leaves certificates in clear), so the
 * structure is assembled here with a small DER writer; forge supplies only the PKCS#12 key derivation and RC2.
 */
export type Pkcs12Format = 'legacy' | 'modern';

export interface Pkcs12ExportOptions {
  /** Defaults to `legacy`, the platform's format. */
  readonly format?: Pkcs12Format;
  /** Iterations of the key derivation and of the MAC key derivation. Defaults to 2048, as OpenSSL. */
  readonly iterations?: number;
  /** The `friendlyName` attribute of both bags (the alias a Java KeyStore shows). */
  readonly friendlyName?: string;
}

/** The object identifiers a PKCS#12 file written here uses (dotted notation). */
export const PKCS12_OIDS = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbeWithSHAAnd3KeyTripleDesCbc: '1.2.840.113549.1.12.1.3',
  pbeWithSHAAnd40BitRc2Cbc: '1.2.840.113549.1.12.1.6',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSHA256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

// ---------------------------------------------------------------------------------------------------------------------
// A minimal DER writer: only what PKCS#12 needs.

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const value = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), derLength(value.length), value]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, ...items);
const octetString = (bytes: Buffer) => tlv(0x04, bytes);
const nullValue = () => Buffer.from([0x05, 0x00]);
/** `[0] EXPLICIT` (constructed, context-specific 0). */
const explicit0 = (...items: Buffer[]) => tlv(0xa0, ...items);
/** `[0] IMPLICIT OCTET STRING` (primitive, context-specific 0). */
const implicit0Octets = (bytes: Buffer) => tlv(0x80, bytes);

/** SET OF, with its elements in DER order (sorted by their encodings). */
function setOf(...items: Buffer[]): Buffer {
  return tlv(0x31, ...[...items].sort(Buffer.compare));
}

function integer(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a non-negative integer: ${value}`);
  const bytes: number[] = [];
  for (let n = value; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  if (bytes.length === 0 || bytes[0]! >= 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const [first, second, ...rest] = arcs as [number, number, ...number[]];
  const bytes: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const groups: number[] = [arc % 128];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) groups.unshift((n % 128) | 0x80);
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function bmpString(text: string): Buffer {
  return tlv(0x1e, Buffer.from(text, 'utf16le').swap16());
}

const algorithmIdentifier = (oid: string, parameters: Buffer) => sequence(objectIdentifier(oid), parameters);

// ---------------------------------------------------------------------------------------------------------------------
// Encryption schemes.

interface Encrypted {
  /** The AlgorithmIdentifier that tells a reader how to decrypt. */
  readonly algorithm: Buffer;
  readonly ciphertext: Buffer;
}

const toForgeBuffer = (bytes: Buffer) => forge().util.createBuffer(bytes.toString('binary'));

/** RFC 7292 appendix B key derivation (ID 1 = key, 2 = IV, 3 = MAC key), password as BMPString. */
function pkcs12Kdf(password: string, salt: Buffer, id: 1 | 2 | 3, iterations: number, length: number, digest: 'sha1' | 'sha256'): Buffer {
  const md = digest === 'sha1' ? forge().md.sha1.create() : forge().md.sha256.create();
  const derived = forge().pkcs12.generateKey(password, toForgeBuffer(salt), id, iterations, length, md);
  return Buffer.from(derived.getBytes(), 'binary');
}

/** PKCS#12 PBE (RFC 7292 appendix C): SHA-1 key derivation, then RC2-40-CBC or 3DES-CBC. */
function encryptPkcs12Pbe(scheme: 'rc2-40' | '3des', data: Buffer, password: string, iterations: number): Encrypted {
  const salt = randomBytes(8);
  const iv = pkcs12Kdf(password, salt, 2, iterations, 8, 'sha1');
  let ciphertext: Buffer;
  let oid: string;
  if (scheme === 'rc2-40') {
    // OpenSSL 3 keeps RC2 in its legacy provider, out of node:crypto's reach: forge's RC2 does it.
    oid = PKCS12_OIDS.pbeWithSHAAnd40BitRc2Cbc;
    const key = pkcs12Kdf(password, salt, 1, iterations, 5, 'sha1');
    const cipher = forge().rc2.createEncryptionCipher(key.toString('binary'), 40);
    cipher.start(iv.toString('binary'));
    cipher.update(toForgeBuffer(data));
    if (!cipher.finish()) throw new Error('RC2 encryption failed');
    ciphertext = Buffer.from(cipher.output.getBytes(), 'binary');
  } else {
    oid = PKCS12_OIDS.pbeWithSHAAnd3KeyTripleDesCbc;
    const key = pkcs12Kdf(password, salt, 1, iterations, 24, 'sha1');
    const cipher = createCipheriv('des-ede3-cbc', key, iv);
    ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
  }
  return { algorithm: algorithmIdentifier(oid, sequence(octetString(salt), integer(iterations))), ciphertext };
}

/** PBES2 (RFC 8018): PBKDF2 with HMAC-SHA-256, AES-256-CBC — OpenSSL 3's default. */
function encryptPbes2(data: Buffer, password: string, iterations: number): Encrypted {
  const salt = randomBytes(8);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
  const kdf = algorithmIdentifier(
    PKCS12_OIDS.pbkdf2,
    sequence(octetString(salt), integer(iterations), algorithmIdentifier(PKCS12_OIDS.hmacWithSHA256, nullValue())),
  );
  const encryption = algorithmIdentifier(PKCS12_OIDS.aes256Cbc, octetString(iv));
  return { algorithm: algorithmIdentifier(PKCS12_OIDS.pbes2, sequence(kdf, encryption)), ciphertext };
}

// ---------------------------------------------------------------------------------------------------------------------

/**
 * Writes a private key and its certificate as a password-protected PKCS#12 file (DER bytes).
 *
 * The password should be ASCII: the PKCS#12 derivations encode it as BMPString and PBES2 as UTF-8, and readers do not all
 * agree on non-ASCII passwords.
 */
export function exportPkcs12(privateKey: KeyObject, certificate: X509Certificate, password: string, options: Pkcs12ExportOptions = {}): Buffer {
  const format = options.format ?? 'legacy';
  const iterations = options.iterations ?? 2048;
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new RangeError('iterations must be a positive integer');
  if (!certificate.checkPrivateKey(privateKey)) throw new Error('the certificate does not belong to the private key');

  const certificateDer = certificate.raw;
  const attributes = [
    sequence(objectIdentifier(PKCS12_OIDS.localKeyId), setOf(octetString(createHash('sha1').update(certificateDer).digest()))),
  ];
  if (options.friendlyName !== undefined) {
    attributes.push(sequence(objectIdentifier(PKCS12_OIDS.friendlyName), setOf(bmpString(options.friendlyName))));
  }
  const bagAttributes = setOf(...attributes);

  const certBag = sequence(
    objectIdentifier(PKCS12_OIDS.certBag),
    explicit0(sequence(objectIdentifier(PKCS12_OIDS.x509Certificate), explicit0(octetString(certificateDer)))),
    bagAttributes,
  );
  const certSafeContents = sequence(certBag);

  const privateKeyInfo = privateKey.export({ format: 'der', type: 'pkcs8' });
  const shroudedKey =
    format === 'legacy' ? encryptPkcs12Pbe('3des', privateKeyInfo, password, iterations) : encryptPbes2(privateKeyInfo, password, iterations);
  const keyBag = sequence(
    objectIdentifier(PKCS12_OIDS.pkcs8ShroudedKeyBag),
    explicit0(sequence(shroudedKey.algorithm, octetString(shroudedKey.ciphertext))),
    bagAttributes,
  );
  const keySafeContents = sequence(keyBag);

  // The certificates go in an EncryptedData, the (already shrouded) key in a plain Data, as OpenSSL and the portal do.
  const encryptedCerts =
    format === 'legacy'
      ? encryptPkcs12Pbe('rc2-40', certSafeContents, password, iterations)
      : encryptPbes2(certSafeContents, password, iterations);
  const certContentInfo = sequence(
    objectIdentifier(PKCS12_OIDS.encryptedData),
    explicit0(
      sequence(
        integer(0),
        sequence(objectIdentifier(PKCS12_OIDS.data), encryptedCerts.algorithm, implicit0Octets(encryptedCerts.ciphertext)),
      ),
    ),
  );
  const keyContentInfo = sequence(objectIdentifier(PKCS12_OIDS.data), explicit0(octetString(keySafeContents)));
  const authenticatedSafe = sequence(certContentInfo, keyContentInfo);

  const digest = format === 'legacy' ? 'sha1' : 'sha256';
  const macSalt = randomBytes(8);
  const macKey = pkcs12Kdf(password, macSalt, 3, iterations, digest === 'sha1' ? 20 : 32, digest);
  const mac = createHmac(digest, macKey).update(authenticatedSafe).digest();
  const macData = sequence(
    sequence(algorithmIdentifier(digest === 'sha1' ? PKCS12_OIDS.sha1 : PKCS12_OIDS.sha256, nullValue()), octetString(mac)),
    octetString(macSalt),
    integer(iterations),
  );

  return sequence(integer(3), sequence(objectIdentifier(PKCS12_OIDS.data), explicit0(octetString(authenticatedSafe))), macData);
}
