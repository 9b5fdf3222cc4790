import type { FastifyRequest } from 'fastify';
import { describeUnstorableText, findUnstorableText } from '../db/storable-text.ts';
import { ApiError } from './api-error.ts';

/**
 * A preHandler for the REST API: query parameters, path parameters and bodies holding text
 * PostgreSQL cannot store or compare (NUL, lone surrogates) get 400 naming the field, instead
 * of failing in the database. /v1 ingestion quarantines such messages item by item instead.
 */
export async function refuseUnstorableInput(request: FastifyRequest): Promise<void> {
  if (request.routeOptions.url?.startsWith('/v1/')) return;
  const parts: Array<[string, unknown]> = [
    ['query parameter', request.query],
    ['path parameter', request.params],
    ['body field', request.body],
  ];
  for (const [where, value] of parts) {
    const found = findUnstorableText(value);
    if (found) {
      const field = found.path === '(value)' ? 'the body' : `${where} \`${found.path.replace(/[^\x20-\x7e]/g, '?')}\``;
      throw new ApiError(400, 'invalid_text', `${field} ${describeUnstorableText(found.text)}`);
    }
  }
}
