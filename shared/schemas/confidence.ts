import { z } from 'zod';

/**
 * How sure the edge is of the visitor's company:
 * - `verified`: a link the edge signed, the customer's own IP-range data;
 * - `inferred`: the network's organisation name (later, enrichment providers);
 * - `claimed`: what anyone can type: an unsigned `pz_account` link, an `identify` with an email or domain.
 */
export const Confidence = z.enum(['claimed', 'inferred', 'verified']);
export type Confidence = z.infer<typeof Confidence>;
