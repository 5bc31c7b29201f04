/**
 * schema.sql must build exactly what the PostgreSQL migrations build, and the SQLite
 * migrations must have the same tables and columns (DESIGN section 4).
 */
import fs from 'node:fs';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { createPgTestDatabase } from '../../test/databases.ts';
import { openDatabase } from './dialect.ts';

const pgUrl = inject('pgUrl');

async function withFreshDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const fresh = await createPgTestDatabase('mc_schema');
  try {
    return await work(fresh.url);
  } finally {
    await fresh.drop();
  }
}

async function catalog(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = async (query: string) => (await client.query(query)).rows;
    return {
      extensions: await rows(`SELECT extname FROM pg_extension ORDER BY 1`),
      columns: await rows(`
        SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default,
               character_maximum_length, numeric_precision, numeric_scale
        FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`),
      constraints: await rows(`
        SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`),
      indexes: await rows(
        `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`,
      ),
    };
  } finally {
    await client.end();
  }
}

describe.skipIf(!pgUrl)('schema.sql', () => {
  it('builds the same tables, columns, constraints and indexes as the migrations', async () => {
    const fromMigrations = await withFreshDatabase(async (url) => {
      const db = await openDatabase({ dialect: 'pg', url });
      await db.close();
      return catalog(url);
    });
    const fromSchemaFile = await withFreshDatabase(async (url) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(fs.readFileSync(new URL('../../schema.sql', import.meta.url), 'utf8'));
      await client.end();
      return catalog(url);
    });
    expect(fromMigrations.columns.length).toBeGreaterThan(70);
    expect(fromSchemaFile).toEqual(fromMigrations);
  });

  it('has the same tables and columns on SQLite', async () => {
    const pgColumns = await withFreshDatabase(async (url) => {
      const db = await openDatabase({ dialect: 'pg', url });
      await db.close();
      return (await catalog(url)).columns.map((c) => `${c.table_name}.${c.column_name}`);
    });
    const sqlite = await openDatabase({ dialect: 'sqlite', path: ':memory:' });
    const tables = await sqlite.sql.all<{ name: string }>(
      // FTS5 keeps its index in shadow tables named after titles_fts; they are not part of the model.
      (await import('drizzle-orm')).sql`SELECT name FROM sqlite_master WHERE type = 'table'
        AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'titles_fts%' AND name NOT LIKE '__drizzle%'`,
    );
    const sqliteColumns: string[] = [];
    for (const { name } of tables) {
      const columns = await sqlite.sql.all<{ name: string }>(
        (await import('drizzle-orm')).sql.raw(`SELECT name FROM pragma_table_info('${name}')`),
      );
      sqliteColumns.push(...columns.map((c) => `${name}.${c.name}`));
    }
    await sqlite.close();
    expect(sqliteColumns.sort()).toEqual([...pgColumns].sort());
  });
});
