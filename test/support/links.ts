import { signLink } from '../../shared/links/signed-link';
import { type DemoPersona, personaQuery } from '../../shared/demo/site';

/** The LINK_SECRET of the worker tests' workerd (vitest.config.ts bindings). */
export const WORKER_TEST_LINK_SECRET = 'test-link-secret';

/**
 * The `pz_account` value of a signed ABM link to `domain` for `site` (what the admin hands marketers),
 * valid for a day unless `exp` (epoch seconds) says otherwise. Signed links resolve as `verified`.
 */
export function signedAccount(secret: string, site: string, domain: string, opts: { exp?: number; campaign?: string } = {}): Promise<string> {
  return signLink(secret, site, { domain, exp: opts.exp ?? Math.floor(Date.now() / 1000) + 86_400, campaign: opts.campaign });
}

/** personaQuery (shared/demo/site.ts) with the persona's signed link for `site`, as the demo's View-as bar links. */
export async function signedPersonaQuery(secret: string, site: string, persona: DemoPersona): Promise<string> {
  return personaQuery(persona, persona.domain && (await signedAccount(secret, site, persona.domain, { campaign: persona.utm_campaign })));
}
