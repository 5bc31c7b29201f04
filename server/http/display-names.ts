/**
 * Readable names for the codes titles carry (ISO 639 languages, ISO 3166 countries), from
 * the runtime's own CLDR data: no table to keep, and an unknown code reads as itself.
 */
const languages = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });
const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

const lookup = (names: Intl.DisplayNames, code: string | null | undefined): string => {
  if (!code) return '';
  try {
    return names.of(code) ?? code;
  } catch {
    // Not a well-formed code (RangeError): show what is stored.
    return code;
  }
};

export const displayNames = {
  language: (code: string | null | undefined) => lookup(languages, code),
  country: (code: string | null | undefined) => lookup(regions, code),
};

export type DisplayNames = typeof displayNames;
