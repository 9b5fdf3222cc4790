/**
 * The size limit of one record sent to Ripen: an event at /v1, a contact or company at /api.
 * The same for both, so what a client can write through one door it can write through the other.
 */
export const MAX_RECORD_BYTES = 32 * 1024;
