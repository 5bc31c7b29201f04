/**
 * Counting every match of a common query ("the": a quarter of the catalogue) is the one
 * expensive part of a search, and its answer only changes when titles do. Counts are kept
 * per query in a small LRU: cleared by every title write in this process, and expiring after
 * a minute for what other processes (an import, another server) change. Concurrent misses
 * for the same query share one database round trip.
 */

export interface MatchCountCacheOptions {
  maxEntries?: number;
  ttlMs?: number;
  now?: () => number;
}

export function createMatchCountCache<T>({
  maxEntries = 2000,
  ttlMs = 60_000,
  now = Date.now,
}: MatchCountCacheOptions = {}) {
  const entries = new Map<string, { expires: number; value: Promise<T> }>();
  return {
    get(key: string, load: () => Promise<T>): Promise<T> {
      const hit = entries.get(key);
      if (hit && hit.expires > now()) {
        // Re-insert so the Map's order stays least-recently-used first.
        entries.delete(key);
        entries.set(key, hit);
        return hit.value;
      }
      const value = load();
      const entry = { expires: now() + ttlMs, value };
      entries.delete(key);
      entries.set(key, entry);
      // A failed load is not remembered.
      value.catch(() => entries.get(key) === entry && entries.delete(key));
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      return value;
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}

export type MatchCountCache<T> = ReturnType<typeof createMatchCountCache<T>>;
