/**
 * What `request.cf` says of the visitor's place and network, as the decision reads it: the country, the
 * network's organisation name and its number. The number counts only beside a name: `wrangler dev`
 * offline answers every request with a placeholder (Cloudflare's own AS395747, no organisation), which
 * would otherwise read as "a hosting network" for every local visitor.
 */
export function networkFacts(cf: IncomingRequestCfProperties | undefined): { country?: string; organisation?: string; asn?: number } {
  const organisation = typeof cf?.asOrganization === 'string' && cf.asOrganization ? cf.asOrganization : undefined;
  return {
    country: typeof cf?.country === 'string' ? cf.country : undefined,
    organisation,
    asn: organisation && typeof cf?.asn === 'number' ? cf.asn : undefined,
  };
}
