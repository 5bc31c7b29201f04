/**
 * `mediacanon genres export FILE [--limit N] [--filter G1,G2]` and `genres import FILE`:
 * the original's review workflow for custom genres (Dating, Cooking, …).
 */
import fs from 'node:fs';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/dialect.ts';
import type { Logger } from '../logger.ts';
import { createGenreReviewRepository } from './genre-review.repository.ts';
import { DEFAULT_CUSTOM_GENRES, formatReviewFile, parseReviewFile } from './genre-review.ts';
import { createGenresRepository } from './genres.repository.ts';

export const GENRES_HELP = `Usage: mediacanon genres export FILE [--limit N] [--filter G1,G2] [options]
       mediacanon genres import FILE [options]

export writes the titles not reviewed yet (most voted first; --limit, default 100;
--filter keeps titles having one of these IMDb genres) with an empty GENRES: line each.
Fill in custom genres (${DEFAULT_CUSTOM_GENRES.join(', ')}, comma-separated) or "none", then
import the file: every title in it is marked reviewed and gets the genres written. A file
naming an unknown title or a genre that is not custom imports nothing and lists the lines.`;

export async function runGenresCommand(
  action: string,
  file: string,
  flags: { limit?: string; filter?: string },
  config: Config,
  log: Logger,
): Promise<number> {
  const db = await openDatabase(config.database);
  try {
    const review = createGenreReviewRepository({ sql: db.sql, genres: createGenresRepository({ sql: db.sql }) });
    await review.ensureCustom(DEFAULT_CUSTOM_GENRES);
    if (action === 'export') {
      const limit = flags.limit === undefined ? 100 : Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1_000_000) throw new Error('--limit must be 1 to 1000000');
      const imdbGenres = (flags.filter ?? '')
        .split(',')
        .map((g) => g.trim())
        .filter(Boolean);
      const candidates = await review.candidates({ limit, imdbGenres });
      fs.writeFileSync(file, formatReviewFile(candidates, await review.customNames()));
      log.info(`exported ${candidates.length} title(s) for review to ${file}`);
      return 0;
    }
    const outcome = await review.apply(parseReviewFile(fs.readFileSync(file, 'utf8')));
    log.info(`reviewed ${outcome.titles} title(s): ${outcome.assigned} genre(s) assigned, ${outcome.none} with none`);
    return 0;
  } catch (error) {
    log.error(`genres ${action}: ${(error as Error).message}`);
    return 1;
  } finally {
    await db.close();
  }
}
