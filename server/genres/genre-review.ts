/**
 * The original's genre review file: titles not yet reviewed, each followed by a GENRES:
 * line the owner fills in with custom genres (Dating, Cooking, …) or "none". The format is
 * kept as it was, so review files written for the original still import.
 *
 *   [123] Title (2001) | movie | 1.2M votes | 7.5 | en/US | Comedy, Romance
 *   GENRES: Dating
 */

export const DEFAULT_CUSTOM_GENRES = ['Cooking', 'Dating'] as const;

export interface ReviewCandidate {
  title_id: number;
  display_name: string;
  start_year: number | null;
  type: string;
  num_votes: number | null;
  average_rating: number | null;
  original_language: string | null;
  origin_country: string | null;
  genres: string[];
}

export interface ReviewDecision {
  titleId: number;
  /** Genre names as written; empty means reviewed, nothing to assign ("none" or blank). */
  genres: string[];
  line: number;
}

export class ReviewFileError extends Error {
  override name = 'ReviewFileError';
}

const formatVotes = (n: number) =>
  n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 1000 ? `${Math.round(n / 1000)}K` : String(n);

export function formatReviewFile(candidates: ReviewCandidate[], customGenres: string[], date = new Date()): string {
  const lines = [
    '# MediaCanon Custom Genre Review',
    `# Generated: ${date.toISOString().slice(0, 10)} | ${candidates.length} titles | Custom genres: ${customGenres.join(', ')}`,
    '# Edit GENRES lines. Use "none" or leave empty to skip.',
    '# Import: mediacanon genres import <this file>',
    '',
  ];
  for (const c of candidates) {
    const place = c.origin_country ? `${c.original_language ?? ''}/${c.origin_country}` : (c.original_language ?? '');
    const genres = c.genres.length > 0 ? ` | ${c.genres.join(', ')}` : '';
    lines.push(
      `[${c.title_id}] ${c.display_name} (${c.start_year ?? '????'}) | ${c.type} | ${formatVotes(c.num_votes ?? 0)} votes | ${(c.average_rating ?? 0).toFixed(1)} | ${place}${genres}`,
      'GENRES:',
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Parses a review file; every malformed line is reported at once, by number. */
export function parseReviewFile(text: string): ReviewDecision[] {
  const decisions: ReviewDecision[] = [];
  const problems: string[] = [];
  let current: { titleId: number; line: number } | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    const number = index + 1;
    if (line === '' || line.startsWith('#')) return;
    const title = /^\[(\d{1,10})\]/.exec(line);
    if (title) {
      if (current) problems.push(`line ${current.line}: title ${current.titleId} has no GENRES: line`);
      current = { titleId: Number(title[1]), line: number };
      return;
    }
    if (line.startsWith('GENRES:')) {
      if (!current) {
        problems.push(`line ${number}: GENRES: without a [id] title line before it`);
        return;
      }
      const value = line.slice('GENRES:'.length).trim();
      const genres = value === '' || value.toLowerCase() === 'none' ? [] : value.split(',').map((g) => g.trim());
      decisions.push({ titleId: current.titleId, genres: genres.filter(Boolean), line: number });
      current = null;
      return;
    }
    problems.push(`line ${number}: not a title, GENRES: or comment line: ${JSON.stringify(line.slice(0, 60))}`);
  });
  if (current) problems.push(`line ${(current as { line: number }).line}: title has no GENRES: line`);
  if (problems.length > 0)
    throw new ReviewFileError(`the review file has ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  return decisions;
}
