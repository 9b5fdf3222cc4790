import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

/** When the stream is down (another server process made the change, a proxy cut it), refetch this often. */
const FALLBACK_POLL_MS = 60_000;

/**
 * Refetches `keys` whenever the server says leads or hand-offs changed (server-sent events on
 * /api/live), and every minute besides.
 */
export function useLiveChanges(keys: QueryKey[]): void {
  const client = useQueryClient();
  const latest = useRef(keys);
  latest.current = keys;
  useEffect(() => {
    const refetch = () => {
      for (const queryKey of latest.current) void client.invalidateQueries({ queryKey });
    };
    const source = new EventSource('/api/live');
    source.addEventListener('changed', refetch);
    const poll = setInterval(refetch, FALLBACK_POLL_MS);
    return () => {
      source.close();
      clearInterval(poll);
    };
  }, [client]);
}
