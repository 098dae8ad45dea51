import { parse as parseContentType } from 'content-type';
import type { NextFunction, Request, Response } from 'express';
import { CheckoutError } from '../checkout/errors.js';

/**
 * Client mistakes found by the HTTP layer before any checkout code runs, as stable codes. Express's body parsers and
 * router raise `http-errors` with a 4xx `status` (and a `type` saying what went wrong); they are the client's, answered
 * with their status and never logged as our failure.
 */
const BY_TYPE: Readonly<Record<string, () => CheckoutError>> = {
  'entity.too.large': () => new CheckoutError(413, 'too_large', { zh: '请求内容过大', en: 'The request body is too large' }),
  'charset.unsupported': () => unsupportedCharset(),
  'encoding.unsupported': () =>
    new CheckoutError(415, 'unsupported_encoding', { zh: '不支持该内容编码(Content-Encoding)', en: 'This Content-Encoding is not supported (use gzip, deflate, br or none)' }),
  'entity.parse.failed': () => malformedBody(),
  'request.size.invalid': () => malformedBody(),
  'request.aborted': () => new CheckoutError(400, 'bad_request', { zh: '请求未完整发送', en: 'The request body was not sent completely' }),
};

const unsupportedCharset = () =>
  new CheckoutError(415, 'unsupported_charset', { zh: '请求内容须为 UTF-8 编码', en: 'The request body must be UTF-8 (charset=utf-8)' });
const malformedBody = () => new CheckoutError(400, 'bad_request', { zh: '请求格式有误', en: 'The request body is malformed' });

/**
 * What a client mistake the HTTP layer raised becomes, or undefined when `error` is not one (then it is ours). Only a
 * 4xx raised by the parsers or the router counts: a 5xx, or an error without a status, is never blamed on the client.
 */
export function clientMistake(error: unknown): CheckoutError | undefined {
  if (error instanceof CheckoutError || typeof error !== 'object' || error === null) return undefined;
  const { status, type, code } = error as { status?: unknown; type?: unknown; code?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  if (typeof type === 'string' && BY_TYPE[type]) return BY_TYPE[type]();
  // The router could not percent-decode a path parameter (`%ff`, a lone `%`, an overlong `%C0%AE`).
  if (error instanceof URIError) return new CheckoutError(400, 'bad_path_encoding', { zh: '请求路径的编码有误', en: 'The request path is not valid percent-encoded UTF-8' });
  // zlib's own error codes: the body claims a Content-Encoding its bytes are not in (or they stop short).
  if (typeof code === 'string' && /^(Z_|ERR_BROTLI|ERR_ZSTD|ERR__ERROR)/.test(code)) {
    return new CheckoutError(400, 'bad_content_encoding', { zh: '请求内容无法按其内容编码解压', en: 'The request body could not be decoded with its Content-Encoding' });
  }
  return new CheckoutError(status, 'bad_request', { zh: '请求有误', en: 'The request is invalid' });
}

/**
 * Every body this router reads is UTF-8 (JSON must be, RFC 8259; the platform sends UTF-8, spec §2.2): another charset is
 * refused with 415 before a parser decodes the bytes into something else. A Content-Type without a charset is UTF-8.
 */
export function requireUtf8Body(req: Request, _res: Response, next: NextFunction): void {
  const header = req.headers['content-type'];
  // A label on no body is harmless (a GET with a stray Content-Type); RFC 9112 §6.3: a body is announced by either header.
  const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
  if (!header || !hasBody) return next();
  let charset: string | undefined;
  try {
    charset = parseContentType(header).parameters.charset;
  } catch {
    // A Content-Type that does not parse matches no parser: the route sees no body and says what it misses.
    return next();
  }
  if (charset === undefined || charset.toLowerCase() === 'utf-8') return next();
  next(unsupportedCharset());
}
