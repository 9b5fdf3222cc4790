import { type TSchema, Type } from '@sinclair/typebox';

/** `T | null` for API schemas: a field that is always present but may be empty. */
export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}
