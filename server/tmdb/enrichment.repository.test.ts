/** What TMDB details may change on a title: never what the IMDb import keeps in step. */
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, openTestDatabase } from '../../test/databases.ts';
import type { Database } from '../db/sql-runner.ts';
import { createEnrichmentRepository, type TitleDetails } from './enrichment.repository.ts';

describeEachDialect('TMDB enrichment repository', (dialect) => {
  let db: Database;
  beforeEach(async () => {
    db = await openTestDatabase(dialect);
  });
  afterEach(() => db.close());

  const titleWithRuntime = async (imdbId: string, runtime: number | null) => {
    const now = new Date().toISOString();
    const row = await db.sql.get<{ id: number }>(sql`
      INSERT INTO titles (type, display_name, search_name, imdb_id, runtime_minutes, created_at, updated_at)
      VALUES ('movie', ${imdbId}, ${imdbId}, ${imdbId}, ${runtime}, ${now}, ${now}) RETURNING id`);
    return Number(row?.id);
  };
  const details = (runtimeMinutes: number): TitleDetails => ({
    tmdbId: 603,
    imageUrl: null,
    originalLanguage: 'en',
    releaseDate: null,
    popularity: 12.5,
    originCountry: 'US',
    runtimeMinutes,
  });
  const runtimeOf = async (id: number) =>
    (await db.sql.get<{ runtime_minutes: number | null }>(sql`SELECT runtime_minutes FROM titles WHERE id = ${id}`))
      ?.runtime_minutes;

  it("fills a runtime IMDb lacks and never replaces IMDb's (the import would only put it back)", async () => {
    const repository = createEnrichmentRepository({ sql: db.sql });
    const fromImdb = await titleWithRuntime('tt0000001', 136);
    const missing = await titleWithRuntime('tt0000002', null);
    await repository.saveDetails(fromImdb, details(150));
    await repository.saveDetails(missing, details(150));
    expect(await runtimeOf(fromImdb)).toBe(136);
    expect(await runtimeOf(missing)).toBe(150);
  });
});
