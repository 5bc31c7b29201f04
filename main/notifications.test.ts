import { describe, expect, it, vi } from 'vitest';
import { createJobNotifier, jobNotice } from './notifications.ts';

describe('job notifications', () => {
  it('tells of a finished and a failed job', () => {
    expect(jobNotice({ type: 'finished', kind: 'imdb', status: 'succeeded', error: null })).toEqual({
      title: 'IMDb sync finished',
      body: 'The catalogue is up to date.',
    });
    expect(jobNotice({ type: 'finished', kind: 'tmdb', status: 'crashed', error: 'killed by SIGKILL' })).toEqual({
      title: 'TMDB backfill failed',
      body: 'killed by SIGKILL',
    });
  });

  it('stays quiet on start and on a cancel the owner asked for', () => {
    expect(jobNotice({ type: 'started', kind: 'imdb' })).toBeNull();
    expect(jobNotice({ type: 'finished', kind: 'imdb', status: 'cancelled', error: 'cancelled' })).toBeNull();
  });

  it('shows through the injected API only where notifications are supported', () => {
    const show = vi.fn();
    let supported = false;
    const notify = createJobNotifier({ show, supported: () => supported });
    const failed = { type: 'finished', kind: 'imdb', status: 'failed', error: 'disk full' } as const;
    notify(failed);
    expect(show).not.toHaveBeenCalled();
    supported = true;
    notify(failed);
    expect(show).toHaveBeenCalledWith({ title: 'IMDb sync failed', body: 'disk full' });
  });
});
