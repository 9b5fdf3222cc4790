import { type SchemaOptions, type TSchema, type TUnsafe, Type } from '@sinclair/typebox';

/** `T | null` for API schemas: a field that is always present but may be empty. */
export function Nullable<T extends TSchema>(schema: T, options?: SchemaOptions) {
  return Type.Union([schema, Type.Null()], options);
}

/**
 * A positive integer id (jobs, webhook deliveries): at most 2^53 - 1, which every id the
 * database hands out fits in. A larger number (`1e30`) is a 400, not a bigint overflow.
 */
export const IntegerId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

/**
 * One of a fixed list of strings, as a JSON Schema `enum`: the OpenAPI document lists the
 * values, and a request with another value gets 400 naming them (see the error handler).
 */
export function OneOf<const T extends readonly string[]>(values: T, description?: string): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
}
