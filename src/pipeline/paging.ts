/** Whether a crawl pages further back in a channel (`?before=`): by page count, date, and what is already known. */

/** Limits on paging back, per channel. */
export interface PagingLimits {
  /** Older pages fetched at most after the first one; unlimited when unset. */
  maxOlderPages?: number;
  /** Stop once a page reaches posts older than this. */
  since?: Date;
}

/** What the crawler knows after extracting one channel page. */
export interface PageSeen {
  /** The older page's URL, when the page links one. */
  olderPage?: string;
  /** 0 for the channel's first page. */
  pageNo: number;
  /** Post ids on the page. */
  postIds: number[];
  /** Post dates on the page (ISO). */
  postedAt: (string | undefined)[];
  /** The newest post id remembered from earlier crawls of the channel. */
  knownNewest?: number | null;
}

/** Why paging stops (or `more` when it goes on). */
export type PagingDecision = 'more' | 'end' | 'known' | 'pages' | 'since';

/** Decides whether to fetch the older page. */
export function pageBack(seen: PageSeen, limits: PagingLimits = {}): PagingDecision {
  if (!seen.olderPage || seen.postIds.length === 0) return 'end';
  if (seen.knownNewest != null && Math.min(...seen.postIds) <= seen.knownNewest) return 'known';
  if (limits.since) {
    const times = seen.postedAt.map((d) => (d ? Date.parse(d) : Number.NaN)).filter((t) => !Number.isNaN(t));
    if (times.length && Math.min(...times) < limits.since.getTime()) return 'since';
  }
  if (limits.maxOlderPages !== undefined && seen.pageNo >= limits.maxOlderPages) return 'pages';
  return 'more';
}
