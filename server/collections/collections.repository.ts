/**
 * Collections: curated rows of titles defined in collections/*.yaml. The SQL is shared by
 * both dialects; only how JSON and lists are written differs (collections.pg.ts, .sqlite.ts).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { SqlRunner } from '../db/sql-runner.ts';
import type { CollectionDefinition, CollectionFilter, CollectionStrategy } from './collections.schemas.ts';

/** How one dialect writes the JSON and list columns of collections. */
export interface CollectionStorage {
  json(value: unknown): SQL;
  textList(values: string[] | null): SQL;
}

export interface CollectionRecord {
  id: number;
  name: string;
  slug: string;
  description: string | null;
  strategy: CollectionStrategy;
  filter: CollectionFilter | null;
  languages: string[] | null;
  regions: string[] | null;
  pinned: boolean;
  active: boolean;
  engagement_count: number;
}

interface CollectionRow extends Omit<CollectionRecord, 'filter' | 'languages' | 'regions'> {
  filter_params: unknown;
  languages: unknown;
  regions: unknown;
}

// PostgreSQL hands back parsed jsonb and arrays, SQLite JSON text and 0/1.
const parsed = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

const fromRow = ({ filter_params, languages, regions, ...row }: CollectionRow): CollectionRecord => ({
  ...row,
  filter: (parsed(filter_params) as CollectionFilter | null) ?? null,
  languages: (parsed(languages) as string[] | null) ?? null,
  regions: (parsed(regions) as string[] | null) ?? null,
  pinned: Boolean(row.pinned),
  active: Boolean(row.active),
  engagement_count: Number(row.engagement_count),
});

const COLUMNS = sql.raw(`c.id, c.name, c.slug, c.description, c.strategy, c.filter_params, c.languages, c.regions,
  c.pinned, c.active, c.engagement_count`);

// Pinned first, then the most engaging; id keeps the order total.
const DISPLAY_ORDER = sql.raw('c.pinned DESC, c.engagement_count DESC, c.id');

const orNull = (values: string[] | undefined) => (values && values.length > 0 ? values : null);

export function createCollectionsRepository({ sql: db, storage }: { sql: SqlRunner; storage: CollectionStorage }) {
  return {
    /**
     * Creates or updates a collection from its definition, keeping engagement_count and
     * active (an owner may have switched it off). Static and llm collections get their
     * listed titles, in order; ids not in the catalogue are skipped. Returns its id.
     */
    async upsert(definition: CollectionDefinition): Promise<{ id: number; missing: string[] }> {
      const d = definition;
      const now = new Date().toISOString();
      return db.transaction(async (tx) => {
        const row = await tx.get<{ id: number }>(sql`
          INSERT INTO collections (name, slug, description, strategy, filter_params, languages, regions, pinned,
            created_at, updated_at)
          VALUES (${d.name}, ${d.slug}, ${d.description ?? null}, ${d.strategy}, ${storage.json(d.filter ?? null)},
            ${storage.textList(orNull(d.languages))}, ${storage.textList(orNull(d.regions))}, ${d.pinned}, ${now}, ${now})
          ON CONFLICT (slug) DO UPDATE SET name = excluded.name, description = excluded.description,
            strategy = excluded.strategy, filter_params = excluded.filter_params, languages = excluded.languages,
            regions = excluded.regions, pinned = excluded.pinned, updated_at = excluded.updated_at
          RETURNING id`);
        const id = row?.id as number;
        await tx.run(sql`DELETE FROM collection_titles WHERE collection_id = ${id}`);
        const missing: string[] = [];
        const listed = [...new Set(d.strategy === 'filter' ? [] : (d.titles ?? []))];
        for (const [rank, imdbId] of listed.entries()) {
          const added = await tx.run(sql`
            INSERT INTO collection_titles (collection_id, title_id, rank)
            SELECT ${id}, t.id, ${rank} FROM titles t WHERE t.imdb_id = ${imdbId}`);
          if (added === 0) missing.push(imdbId);
        }
        return { id, missing };
      });
    },

    /** Active collections in display order. */
    async listActive(): Promise<CollectionRecord[]> {
      const rows = await db.all<CollectionRow>(
        sql`SELECT ${COLUMNS} FROM collections c WHERE c.active = ${true} ORDER BY ${DISPLAY_ORDER}`,
      );
      return rows.map(fromRow);
    },

    /** By slug first; a number that is no slug is taken as an id. */
    async findBySlugOrId(key: string): Promise<CollectionRecord | null> {
      // Slugs and ids are plain ASCII; anything else (a NUL, which PostgreSQL text refuses
      // with an error, or a megabyte of text) cannot name a collection.
      if (!/^[A-Za-z0-9-]{1,200}$/.test(key)) return null;
      const bySlug = await db.get<CollectionRow>(sql`SELECT ${COLUMNS} FROM collections c WHERE c.slug = ${key}`);
      if (bySlug) return fromRow(bySlug);
      if (!/^\d{1,9}$/.test(key)) return null;
      const byId = await db.get<CollectionRow>(sql`SELECT ${COLUMNS} FROM collections c WHERE c.id = ${Number(key)}`);
      return byId ? fromRow(byId) : null;
    },
  };
}

export type CollectionsRepository = ReturnType<typeof createCollectionsRepository>;
