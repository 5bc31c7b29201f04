/**
 * Titles are searched by a key: lower case, accents removed, whitespace collapsed. The
 * same function computes the stored titles.search_name and the key of a query, so
 * "amelie" finds "Amélie" on both dialects without database extensions.
 */

// Letters that carry no combining mark to strip but that readers type without the accent.
const FOLDED: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};

export function searchKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþıħ]/g, (ch) => FOLDED[ch] ?? ch)
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Below this many characters a query matches by prefix only: trigram indexes need three. */
export const SUBSTRING_MIN_LENGTH = 3;

export type SearchMode = 'substring' | 'prefix';

export function searchMode(key: string): SearchMode {
  return [...key].length >= SUBSTRING_MIN_LENGTH ? 'substring' : 'prefix';
}

/** Escapes LIKE wildcards so `%` and `_` in a query are ordinary characters. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}
