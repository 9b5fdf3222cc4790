import { Transform, type TransformCallback } from 'node:stream';
import { createBrotliDecompress, createUnzip } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './api-error.ts';

/** Fastify's error code for a body over the route's limit, which the error handler renders as 413. */
const BODY_TOO_LARGE = 'FST_ERR_CTP_BODY_TOO_LARGE';

/**
 * Counts the compressed bytes going in (Fastify compares them with Content-Length) and the
 * decompressed bytes coming out, and stops at the route's body limit: a decompression bomb
 * is refused after `limit` bytes, with no more memory or time spent on it.
 */
class LimitedInflate extends Transform {
  receivedEncodedLength = 0;
  #received = 0;
  constructor(
    private readonly inflate: Transform,
    private readonly limit: number,
    encoding: string,
  ) {
    super();
    inflate.on('data', (chunk: Buffer) => {
      this.#received += chunk.length;
      if (this.#received > this.limit) {
        inflate.destroy();
        this.destroy(
          Object.assign(new Error('decompressed body over the limit'), { code: BODY_TOO_LARGE, statusCode: 413 }),
        );
        return;
      }
      this.push(chunk);
    });
    inflate.on('error', (error: Error & { code?: string }) =>
      this.destroy(
        new ApiError(
          400,
          'invalid_body',
          `the body is not valid ${encoding} data (${error.message}); send it uncompressed or compress it again`,
        ),
      ),
    );
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.receivedEncodedLength += chunk.length;
    if (this.inflate.write(chunk)) callback();
    else this.inflate.once('drain', () => callback());
  }
  override _flush(callback: TransformCallback): void {
    this.inflate.end();
    this.inflate.once('end', () => callback());
  }
}

const DECODERS: Record<string, () => Transform> = {
  gzip: createUnzip,
  'x-gzip': createUnzip,
  deflate: createUnzip,
  br: createBrotliDecompress,
};

/**
 * A preParsing hook for routes that take compressed bodies, as the Segment and RudderStack
 * libraries send them (`Content-Encoding: gzip` by default in RudderStack's): the body limit
 * applies to the decompressed body.
 */
export async function decompressBody(
  request: FastifyRequest,
  _reply: unknown,
  payload: NodeJS.ReadableStream,
): Promise<NodeJS.ReadableStream> {
  const header = request.headers['content-encoding'];
  const encoding = typeof header === 'string' ? header.trim().toLowerCase() : '';
  if (encoding === '' || encoding === 'identity') return payload;
  const decoder = DECODERS[encoding];
  if (decoder === undefined) {
    throw new ApiError(
      415,
      'unsupported_encoding',
      `Content-Encoding ${JSON.stringify(encoding.slice(0, 40))} is not supported; send gzip, deflate, br or an uncompressed body`,
    );
  }
  const limited = new LimitedInflate(decoder(), request.routeOptions.bodyLimit ?? Number.POSITIVE_INFINITY, encoding);
  payload.pipe(limited);
  return limited;
}
