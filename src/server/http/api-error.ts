import { type Static, Type } from '@sinclair/typebox';
import type { Failure } from '../../core/result.ts';

/** The one error shape of the whole API. */
export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** An expected failure that maps to an HTTP status; handlers throw it, the error handler renders it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/**
 * The API error for a service's failure: the status from the feature's table (one per
 * feature, next to its routes), the code from the kind (`duplicate-contact` →
 * `duplicate_contact`).
 */
export function failureToApiError<Kind extends string>(
  statuses: Readonly<Record<Kind, number>>,
  failure: Failure<Kind>,
): ApiError {
  return new ApiError(statuses[failure.kind], failure.kind.replaceAll('-', '_'), failure.message, failure.details);
}
