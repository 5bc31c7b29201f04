/** Every repository of the app, built once over one database. */
import { createCollectionsRepository } from './collections/collections.repository.ts';
import { dialectParts } from './db/dialect.ts';
import type { Database } from './db/sql-runner.ts';
import { createCarouselCache } from './discover/carousels.ts';
import { createDiscoverRepository } from './discover/discover.repository.ts';
import { createGenresRepository } from './genres/genres.repository.ts';
import { createEpisodesRepository } from './shows/episodes.repository.ts';
import { createSeasonsRepository } from './shows/seasons.repository.ts';
import { createKindRepository } from './titles/kinds.repository.ts';
import { createTitlesRepository } from './titles/titles.repository.ts';

export type Repositories = ReturnType<typeof createRepositories>;

export function createRepositories(db: Database) {
  const genres = createGenresRepository({ sql: db.sql });
  const titles = createTitlesRepository({ sql: db.sql, genres, matching: dialectParts[db.dialect].titleMatching });
  const collections = createCollectionsRepository({
    sql: db.sql,
    storage: dialectParts[db.dialect].collectionStorage,
  });
  const discover = createDiscoverRepository({ sql: db.sql });
  return {
    genres,
    titles,
    movies: createKindRepository(titles, 'movie'),
    shows: createKindRepository(titles, 'show'),
    seasons: createSeasonsRepository({ sql: db.sql }),
    episodes: createEpisodesRepository({ sql: db.sql }),
    collections,
    discover,
    /** In-memory carousel data; sync jobs call carousels.rebuild() when they finish. */
    carousels: createCarouselCache({ collections, discover }),
  };
}
