/**
 * Traits only trusted senders may set: whether an address takes mail, and the person's email
 * consent. A public write key sits in every page of a website, so anyone can send with it;
 * from it these traits are dropped (an email provider's webhook or a secret key sets them).
 */
const PROTECTED_TRAITS = ['emailStatus', 'email_status', 'emailConsent', 'email_consent'] as const;

function withoutProtected(traits: unknown): unknown {
  if (traits === null || typeof traits !== 'object' || Array.isArray(traits)) return traits;
  if (!PROTECTED_TRAITS.some((name) => name in traits)) return traits;
  const kept: Record<string, unknown> = { ...(traits as Record<string, unknown>) };
  for (const name of PROTECTED_TRAITS) delete kept[name];
  return kept;
}

/** The message with protected traits removed from `traits` and `context.traits`; others as they are. */
export function dropProtectedTraits(message: unknown): unknown {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return message;
  const record = message as Record<string, unknown>;
  const context = record.context;
  const cleanContext =
    context !== null && typeof context === 'object' && !Array.isArray(context) && 'traits' in context
      ? { ...(context as Record<string, unknown>), traits: withoutProtected((context as { traits: unknown }).traits) }
      : context;
  if (!('traits' in record) && cleanContext === context) return message;
  return {
    ...record,
    ...('traits' in record ? { traits: withoutProtected(record.traits) } : {}),
    context: cleanContext,
  };
}
