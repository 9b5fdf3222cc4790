import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { StalePlaybookError } from '../../core/playbook/playbook-store.ts';
import { isDatabaseUnavailable } from '../db/database-unavailable.ts';
import { ApiError, errorBody } from './api-error.ts';

function limitMessage(url: string): string {
  return url.startsWith('/v1/batch')
    ? 'the batch is larger than the 500 KB limit per batch; send fewer messages per request'
    : 'the request is larger than the 32 KB limit per event; trim its properties or context';
}

/**
 * The framework's own 4xx errors in the API's words: its `FST_ERR_…` codes are internal names
 * that tell a client nothing, so they never reach one.
 */
function describeClientError(error: FastifyError): { code: string; message: string } {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        code: 'invalid_json',
        message: `the body is not valid JSON (${error.message}); send one JSON object, without __proto__ or constructor keys`,
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'unsupported_media_type', message: 'send the body as JSON with `content-type: application/json`' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'invalid_body', message: 'the body is shorter or longer than its Content-Length header says' };
    case 'FST_ERR_CTP_EMPTY_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return {
        code: 'unsupported_media_type',
        message: 'the content-type header is empty or malformed; send `application/json`',
      };
    default:
      if (error.code === undefined || !error.code.startsWith('FST_')) {
        return { code: error.code ?? 'bad_request', message: error.message };
      }
      return { code: 'bad_request', message: error.message };
  }
}

type ValidationIssue = NonNullable<FastifyError['validation']>[number];

/**
 * One detail per field. A value outside a list (an `enum`, or a union of constants, which
 * Ajv reports branch by branch) reads "must be one of a, b, c" rather than "must be equal to
 * constant".
 */
function describeValidation(issues: readonly ValidationIssue[]): Array<{ field: string; problem: string }> {
  const byField = new Map<string, { problem: string; allowed: unknown[] }>();
  for (const issue of issues) {
    const field = issue.instancePath || '(body)';
    const entry = byField.get(field) ?? { problem: issue.message ?? 'is invalid', allowed: [] };
    if (issue.keyword === 'enum' && Array.isArray(issue.params.allowedValues))
      entry.allowed.push(...issue.params.allowedValues);
    if (issue.keyword === 'const') entry.allowed.push(issue.params.allowedValue);
    byField.set(field, entry);
  }
  return [...byField].map(([field, { problem, allowed }]) => ({
    field,
    problem: allowed.length > 0 ? `must be one of ${allowed.join(', ')}` : problem,
  }));
}

type ErrorHandler = (error: FastifyError | ApiError | Error, request: FastifyRequest, reply: FastifyReply) => void;

/**
 * Renders every failure in the one error shape; unexpected ones are logged without request
 * bodies. `reportUnavailable` says whether an error means the database is away (and logs
 * that once per outage); such requests get 503 with Retry-After.
 */
export function createErrorHandler(
  reportUnavailable: (error: unknown) => boolean = isDatabaseUnavailable,
): ErrorHandler {
  return (error, request, reply) => handleError(error, request, reply, reportUnavailable);
}

function handleError(
  error: FastifyError | ApiError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
  reportUnavailable: (error: unknown) => boolean,
): void {
  if (error instanceof ApiError) {
    if (error.status === 429) void reply.header('retry-after', '1');
    void reply.status(error.status).send(errorBody(error.code, error.message, error.details));
    return;
  }
  if (error instanceof StalePlaybookError) {
    // Another process published a newer version than this one has cached; the cache expires in seconds.
    void reply
      .status(503)
      .header('retry-after', '5')
      .send(errorBody('playbook_changed', 'a newer playbook version was just published; nothing was stored, retry'));
    return;
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const details = describeValidation(fastifyError.validation);
    const first = details[0];
    const message = first
      ? `${fastifyError.validationContext ?? 'request'} ${first.field}: ${first.problem}`
      : 'invalid request';
    void reply.status(400).send(errorBody('invalid_request', message, details));
    return;
  }
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    void reply.status(413).send(errorBody('payload_too_large', limitMessage(request.url)));
    return;
  }
  if (fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const { code, message } = describeClientError(fastifyError);
    void reply.status(fastifyError.statusCode).send(errorBody(code, message));
    return;
  }
  // Class 22 (data exception: a number out of range, text the database cannot hold) comes
  // from a value the request carried past validation: the client can fix it, so it is a 400.
  const code = 'code' in error ? error.code : undefined;
  if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) {
    request.log.warn({ code, route: request.routeOptions.url }, 'the database refused a value of the request');
    void reply
      .status(400)
      .send(
        errorBody(
          'invalid_value',
          'a value in the request is out of range or cannot be stored (a number too large, or text with a NUL character); check the values sent',
        ),
      );
    return;
  }
  if (reportUnavailable(error)) {
    void reply
      .status(503)
      .header('retry-after', '5')
      .send(
        errorBody(
          'storage_unavailable',
          'the database is unreachable right now; retry after the Retry-After delay (a message resent with the same messageId is stored once)',
        ),
      );
    return;
  }
  request.log.error({ err: { message: error.message, stack: error.stack } }, 'unexpected error');
  void reply
    .status(500)
    .send(
      errorBody(
        'internal',
        'an unexpected error occurred; nothing was stored if this was a write. See the server log.',
      ),
    );
}
