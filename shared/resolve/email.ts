import { Domain } from '../schemas/primitives';

/** Consumer mailbox providers: an address there says nothing about the visitor's company. */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.uk', 'yahoo.fr', 'ymail.com', 'hotmail.com', 'hotmail.co.uk',
  'hotmail.fr', 'outlook.com', 'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me',
  'protonmail.com', 'pm.me', 'gmx.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'mail.ru', 'yandex.com', 'yandex.ru',
  'zoho.com', 'fastmail.com', 'hey.com', 'tutanota.com', 'qq.com', '163.com', '126.com', 'naver.com', 'orange.fr',
  'free.fr', 'laposte.net', 't-online.de', 'libero.it', 'comcast.net', 'verizon.net', 'att.net', 'btinternet.com',
]);

/**
 * The company domain an identify call or link parameter names: accepts `jane@acme.com`, `acme.com`,
 * `https://www.acme.com/x`; null for free-mail providers and anything that is not a domain.
 */
export function companyDomain(input: string): string | null {
  let value = input.trim().toLowerCase();
  const at = value.lastIndexOf('@');
  if (at >= 0) value = value.slice(at + 1);
  value = value.replace(/^https?:\/\//, '').replace(/[/?#].*$/, '').replace(/^www\./, '').replace(/\.$/, '');
  const parsed = Domain.safeParse(value);
  if (!parsed.success || FREE_MAIL_DOMAINS.has(parsed.data)) return null;
  return parsed.data;
}

/** `eu.mail.acme.com` → [`eu.mail.acme.com`, `acme.com`]: the exact domain first, then its last two labels. */
export function domainCandidates(domain: string): string[] {
  const labels = domain.split('.');
  return labels.length > 2 ? [domain, labels.slice(-2).join('.')] : [domain];
}
