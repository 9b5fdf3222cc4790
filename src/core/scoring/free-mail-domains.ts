/**
 * Free-mail providers: an address here says nothing about the person's employer, so it
 * lowers fit and is never used to resolve a company.
 */
const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  '126.com',
  '163.com',
  'aol.com',
  'bk.ru',
  'fastmail.com',
  'free.fr',
  'gmail.com',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'googlemail.com',
  'hey.com',
  'hotmail.co.uk',
  'hotmail.com',
  'hotmail.fr',
  'hotmail.it',
  'icloud.com',
  'inbox.ru',
  'interia.pl',
  'laposte.net',
  'libero.it',
  'list.ru',
  'live.com',
  'live.no',
  'mac.com',
  'mail.com',
  'mail.ru',
  'me.com',
  'msn.com',
  'naver.com',
  'o2.pl',
  'online.no',
  'onet.pl',
  'orange.fr',
  'outlook.com',
  'pm.me',
  'proton.me',
  'protonmail.com',
  'qq.com',
  'rambler.ru',
  'rediffmail.com',
  'seznam.cz',
  't-online.de',
  'tiscali.it',
  'tutanota.com',
  'virgilio.it',
  'web.de',
  'wp.pl',
  'yahoo.co.uk',
  'yahoo.com',
  'yahoo.fr',
  'yahoo.it',
  'yandex.com',
  'yandex.ru',
  'ymail.com',
  'zoho.com',
]);

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
