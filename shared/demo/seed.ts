import { demoAccounts, demoSite } from './site';
import { buildKvEntries } from '../kv/entries';

/** The KV entries `npm start` and the tests load: the demo site's config and accounts. */
export function demoSeed() {
  return buildKvEntries(demoSite.site, demoSite, demoAccounts);
}
