import { describe, expect, it } from 'vitest';
import { pageBack } from '../../src/pipeline/paging.ts';
import { formatDuration, progressLine } from '../../src/pipeline/progress.ts';

const s = { pages: 50, listings: 900, images: 0, codes: 0, flagged: 12, bundles: 0, errors: 1, seconds: 10 };

describe('the progress line', () => {
  it('shows counts, rate and, with a page budget, an ETA', () => {
    expect(progressLine(s, 200)).toBe(
      '50 pages · 900 listings · 12 flagged · 1 errors · 5.0 pages/s · ETA ≤ 30s · 10s',
    );
    expect(progressLine(s)).not.toContain('ETA');
    expect(progressLine({ ...s, pages: 0, seconds: 0 }, 200)).toContain('0.0 pages/s');
  });

  it('formats durations', () => {
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(185)).toBe('3m05s');
    expect(formatDuration(3720)).toBe('1h02m');
  });
});

describe('paging back', () => {
  const seen = { olderPage: 'https://t.me/s/x?before=10', pageNo: 0, postIds: [10, 11, 12], postedAt: [] };
  it('goes on until the remembered newest post, the page limit or the date', () => {
    expect(pageBack(seen)).toBe('more');
    expect(pageBack({ ...seen, olderPage: undefined })).toBe('end');
    expect(pageBack({ ...seen, knownNewest: 10 })).toBe('known');
    expect(pageBack({ ...seen, knownNewest: 9 })).toBe('more');
    expect(pageBack({ ...seen, pageNo: 2 }, { maxOlderPages: 2 })).toBe('pages');
    const dated = { ...seen, postedAt: ['2026-11-01T00:00:00Z', undefined, '2026-11-03T00:00:00Z'] };
    expect(pageBack(dated, { since: new Date('2026-11-02T00:00:00Z') })).toBe('since');
    expect(pageBack(dated, { since: new Date('2026-10-01T00:00:00Z') })).toBe('more');
  });
});
