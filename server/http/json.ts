/** JSON shaping shared by every serializer: the contract omits optional fields when null. */
export function compact<T extends Record<string, unknown>>(fields: T): { [K in keyof T]: Exclude<T[K], null> } {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== null && value !== undefined) out[key] = value;
  return out as { [K in keyof T]: Exclude<T[K], null> };
}

// The original stored these in image_url to mean "TMDB has none"; they never reach a client.
const IMAGE_SENTINELS = new Set(['none', 'TMDB_NOT_FOUND_DO_NOT_RETRY']);

export const publicImageUrl = (url: string | null): string | null => (url && !IMAGE_SENTINELS.has(url) ? url : null);
