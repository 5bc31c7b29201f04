/**
 * Movies and shows are titles of one type each, with their own id (movies.id, shows.id)
 * that the API addresses them by. Their rows live with the titles repository; this is the
 * view of it by that id, the same for both kinds.
 */
import { sql } from 'drizzle-orm';
import type { TitleFields, TitleRecord, TitlesRepository, TitleType } from './titles.repository.ts';

export interface KindRecord {
  /** movies.id or shows.id */
  id: number;
  title_id: number;
  title: TitleRecord;
}

export interface KindRepository {
  findById(id: number): Promise<KindRecord | null>;
  create(fields: TitleFields & { display_name: string }): Promise<KindRecord>;
  update(id: number, fields: TitleFields): Promise<KindRecord | null>;
  /** Deletes the title, and with it the movie or show row and (for shows) seasons and episodes. */
  delete(id: number): Promise<boolean>;
}

export type MoviesRepository = KindRepository;
export type ShowsRepository = KindRepository;

export function createKindRepository(titles: TitlesRepository, kind: TitleType): KindRepository {
  const idOf = (title: TitleRecord) => (kind === 'movie' ? title.movie_id : title.show_id) as number;
  const record = (title: TitleRecord): KindRecord => ({ id: idOf(title), title_id: title.title_id, title });
  const findById = async (id: number) => {
    const [title] = await titles.findWhere(kind === 'movie' ? sql`m.id = ${id}` : sql`s.id = ${id}`);
    return title ? record(title) : null;
  };
  return {
    findById,
    async create(fields) {
      return record(await titles.create({ ...fields, type: kind }));
    },
    async update(id, fields) {
      const existing = await findById(id);
      if (!existing) return null;
      const title = await titles.update(existing.title_id, fields);
      return title ? record(title) : null;
    },
    async delete(id) {
      const existing = await findById(id);
      return existing ? titles.delete(existing.title_id) : false;
    },
  };
}
