import { type ReceiveDeps, receiveMessages } from '../server/events/receive-messages.ts';
import { generateDemo } from './generate-demo.ts';

const BATCH = 500;

/**
 * Streams the synthetic funnel into a workspace through the same ingestion path as the
 * API (so demo scores are real scores), one batch at a time: memory stays flat at 1M contacts.
 */
export async function loadDemo(
  deps: ReceiveDeps,
  workspaceId: string,
  options: { contacts: number; seed: number; months: number },
  /** Called after each chunk with the contacts generated so far (of `options.contacts`). */
  onProgress: (contacts: number) => void = () => {},
): Promise<{ contacts: number; messages: number }> {
  let pending: unknown[] = [];
  let contacts = 0;
  let messages = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const result = await receiveMessages(deps, workspaceId, pending, null, 'demo');
    if (!result.ok) throw new Error(`demo data was not stored: ${result.error.message}`);
    const refused = result.value.errors[0];
    if (refused) throw new Error(`demo data was rejected: ${refused.message}`);
    messages += pending.length;
    pending = [];
  };
  // Batches cut across chunks (and so across time): ingestion accepts events in any order, and
  // identity resolution gives the same contacts whichever batch a person's messages land in.
  for (const chunk of generateDemo({
    seed: options.seed,
    contacts: options.contacts,
    now: deps.clock(),
    months: options.months,
  })) {
    pending.push(...chunk.messages);
    contacts += chunk.contacts.length;
    if (pending.length >= BATCH) await flush();
    onProgress(contacts);
  }
  await flush();
  return { contacts, messages };
}
