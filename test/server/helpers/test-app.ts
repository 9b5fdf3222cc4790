import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../../src/server/app.ts';
import { bootstrapWorkspace } from '../../../src/server/bootstrap-workspace.ts';
import type { FetchText } from '../../../src/server/email-events/verify-sns-message.ts';
import { openTestDatabase } from './test-database.ts';

/** A workspace with the default playbook, its keys, and the app on a real database, with a movable clock. */
export async function startTestApp(
  startAt = Date.UTC(2026, 4, 4, 12, 0, 0),
  options: { webhookAllowList?: string[]; webRoot?: string; snippetRoot?: string; fetchText?: FetchText } = {},
) {
  const database = await openTestDatabase();
  const boot = await bootstrapWorkspace(database.db);
  const clock = { now: startAt };
  const built = await buildApp({
    db: database.db,
    dbKind: database.kind,
    clock: () => clock.now,
    webhookAllowList: options.webhookAllowList,
    webRoot: options.webRoot,
    snippetRoot: options.snippetRoot,
    fetchText: options.fetchText,
  });
  const writeAuth = `Basic ${Buffer.from(`${boot.writeKey}:`).toString('base64')}`;
  const secretAuth = `Bearer ${boot.secretKey}`;
  return {
    ...built,
    db: database.db,
    workspaceId: boot.workspaceId,
    clock,
    writeAuth,
    secretAuth,
    /** Sends to the ingestion API and waits until what it queued has been scored. */
    async send(path: string, body: unknown) {
      const response = await built.app.inject({
        method: 'POST',
        url: path,
        headers: { authorization: writeAuth },
        payload: body as object,
      });
      await built.scoring.drain();
      return response;
    },
    async get(path: string) {
      return built.app.inject({ method: 'GET', url: path, headers: { authorization: secretAuth } });
    },
    async close() {
      await built.app.close();
      await database.dispose();
    },
  };
}
export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/**
 * A test app for the enclosing file or `describe`: started before its tests, closed after
 * them. What it returns is the app itself, usable in hooks and tests once it has started.
 */
export function useTestApp(
  startAt?: number,
  options?: { webhookAllowList?: string[]; fetchText?: FetchText },
): TestApp {
  let current: TestApp | null = null;
  beforeAll(async () => {
    current = await startTestApp(startAt, options);
  });
  afterAll(async () => {
    await current?.close();
    current = null;
  });
  return new Proxy({} as TestApp, {
    get(_target, property) {
      if (current === null) {
        throw new Error(
          `the test app is not running when \`${String(property)}\` is read: use it inside beforeAll, beforeEach or a test`,
        );
      }
      return Reflect.get(current, property);
    },
  });
}
