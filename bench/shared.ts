// The project code the bench runs in Node, in one bundle (bench/ts.mjs `importBenchTs('bench/shared.ts')`).
export { buildKvEntries } from '../shared/kv/entries';
export { kvKeys } from '../shared/kv/keys';
export { demoSeed } from '../shared/demo/seed';
export { demoSite } from '../shared/demo/site';
export { SiteConfig, Account, DecideRequest } from '../shared/schemas';
export { pickSegment } from '../shared/rules/evaluate';
export { selectChanges } from '../shared/decision/variants';
export { visitContext } from '../shared/decision/context';
export { decideRequest } from '../edge/decide/decide';
export { decide } from '../shared/decision/decide';
export { snippetTag } from '../shared/snippet-tag';
