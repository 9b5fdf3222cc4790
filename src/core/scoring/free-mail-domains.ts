import disposableDomains from 'disposable-email-domains-js/dist/dict/disposable_email_blocklist.json' with {
  type: 'json',
};
import freeMailDomains from 'email-providers/all.json' with { type: 'json' };

/**
 * Free-mail and disposable providers: an address there says nothing about the person's
 * employer, so it matches `freeEmail` in fit rules and never names a company. Both lists come
 * from maintained packages (decision 0014): `email-providers` (free-mail providers, about
 * 8,800 domains) and `disposable-email-domains-js` (the disposable-email-domains blocklist,
 * about 8,900); `npm update` brings their new domains.
 */
const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([...freeMailDomains, ...disposableDomains]);

/** The lower-cased domain of an email address, or null when it is not one. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return null;
  return email
    .slice(at + 1)
    .trim()
    .toLowerCase();
}

export function isFreeMailDomain(domain: string): boolean {
  return FREE_MAIL_DOMAINS.has(domain.toLowerCase());
}
