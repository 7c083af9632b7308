import type { KvWriter } from './outbox';

/** What one flush (one invocation's worth of KV operations) writes through and reads the time from. */
export interface FlushIo {
  kv: KvWriter;
  now: () => number;
}

/**
 * A test's wrapper around the real KV and clock a SiteStore's flushes use, by the object's id: to
 * count each invocation's KV operations, fail a key, or move the clock. Module state rather than a
 * field of the object, so an object evicted and started again mid-test keeps it. Production sets none.
 */
export const flushIoWrappers = new Map<string, (real: FlushIo) => FlushIo>();
