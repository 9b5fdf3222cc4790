import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext } from 'react';
import { ApiError, api, setCsrfToken } from './api.ts';
import type { Session } from './types.ts';

const SessionContext = createContext<Session | null>(null);

/** The signed-in person; only used below <RequireSession>, which renders nothing else without one. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession is used outside a signed-in page');
  return session;
}

export const SESSION_KEY = ['session'] as const;

export async function fetchSession(): Promise<Session | null> {
  try {
    const session = await api<Session>('/api/session');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

/** Shows `signIn` until there is a session, then the pages with it. */
export function RequireSession({ children, signIn }: { children: ReactNode; signIn: ReactNode }) {
  const query = useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: Number.POSITIVE_INFINITY });
  if (query.isPending) return null;
  if (!query.data) return <>{signIn}</>;
  return <SessionContext.Provider value={query.data}>{children}</SessionContext.Provider>;
}

export function useSignedIn() {
  const client = useQueryClient();
  return (session: Session | null) => {
    setCsrfToken(session?.csrfToken ?? null);
    // Nothing fetched for the previous person may show to the next one.
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
    client.setQueryData(SESSION_KEY, session);
  };
}
