/**
 * Dozor's tables. Only tables and inferred types live here; queries live beside the stage that
 * runs them. Evidence tables (pages, listings, images, qr_codes, detections, bundles, artifacts,
 * reviews, custody_events) are append-only: rows are added, never changed.
 */
import {
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** What to watch: a channel, a page, or a target discovered through a link or a QR code. */
export const sources = pgTable('sources', {
  id: serial('id').primaryKey(),
  url: text('url').notNull().unique(),
  /** `bot` and `onion` sources are recorded when discovered but never fetched. */
  kind: text('kind', { enum: ['telegram', 'web', 'bot', 'onion'] }).notNull(),
  label: text('label'),
  everySeconds: integer('every_seconds'),
  depth: integer('depth').notNull().default(0),
  discoveredVia: text('discovered_via'),
  /** The listing whose link or QR code led here (for child bundles). */
  discoveredFromListingId: integer('discovered_from_listing_id'),
  enabled: boolean('enabled').notNull().default(true),
  status: text('status'),
  lastCrawledAt: timestamp('last_crawled_at', { withTimezone: true }),
  /** Last time a fetch of the source succeeded. */
  lastOkAt: timestamp('last_ok_at', { withTimezone: true }),
  /** Since when the source is gone (404/410, or a channel that lost its preview); null while it is up. */
  offlineSince: timestamp('offline_since', { withTimezone: true }),
  /** How pages are fetched: `auto` (HTTP, a browser when empty without JavaScript), `http` or `browser`. */
  render: text('render', { enum: ['auto', 'http', 'browser'] })
    .notNull()
    .default('auto'),
  /** Whether robots.txt is obeyed for this source. */
  respectRobots: boolean('respect_robots').notNull().default(true),
  /** False for a discovered source waiting for an admin's `sources approve ID`. */
  approved: boolean('approved').notNull().default(true),
  /** Telegram: the newest post id seen; the next crawl pages back only to here. */
  newestPostId: integer('newest_post_id'),
  /** Telegram: the channel header as last seen (title, description, counters). */
  channel: jsonb('channel').$type<{
    title?: string;
    username?: string;
    description?: string;
    counters: Record<string, number>;
  }>(),
  createdAt: createdAt(),
});

/** One fetch of one URL: the raw bytes live in the blob store under bodySha256. */
export const pages = pgTable(
  'pages',
  {
    id: serial('id').primaryKey(),
    sourceId: integer('source_id').references(() => sources.id),
    url: text('url').notNull(),
    finalUrl: text('final_url').notNull(),
    status: integer('status').notNull(),
    headers: jsonb('headers').$type<Record<string, string>>().notNull(),
    resolvedIp: text('resolved_ip'),
    /** Each URL that redirected, in order, before finalUrl. */
    redirects: jsonb('redirects').$type<string[]>().notNull().default([]),
    /** The server certificate of an HTTPS fetch. */
    tls: jsonb('tls').$type<TlsInfo>(),
    bodySha256: text('body_sha256').notNull(),
    bodySize: integer('body_size').notNull(),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('pages_url_body').on(t.url, t.bodySha256)],
);

/** What was seen of an HTTPS server's certificate. */
export interface TlsInfo {
  subject: string;
  issuer: string;
  fingerprint256: string;
  validFrom: string;
  validTo: string;
  protocol?: string;
  /** Whether the chain verified against the system's CAs; captured either way. */
  authorized: boolean;
  authorizationError?: string;
}

/** A post or a page's main text, as extracted. */
export const listings = pgTable(
  'listings',
  {
    id: serial('id').primaryKey(),
    pageId: integer('page_id')
      .notNull()
      .references(() => pages.id),
    sourceId: integer('source_id').references(() => sources.id),
    permalink: text('permalink').notNull(),
    text: text('text').notNull(),
    textSha256: text('text_sha256').notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }),
    links: jsonb('links').$type<string[]>().notNull(),
    imageUrls: jsonb('image_urls').$type<string[]>().notNull(),
    /** Telegram: post id, kind, views, media, forward, reply, link preview (as first seen). */
    meta: jsonb('meta').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('listings_permalink_text').on(t.permalink, t.textSha256),
    // (source, id): a source's newest listings (channel history, post diffs) are read from the
    // index instead of walking every newer listing of every other source
    index('listings_source_id').on(t.sourceId, t.id),
  ],
);

/**
 * An edit or deletion of a Telegram post, seen when its channel was crawled again: evidence,
 * append-only. `edited`: the post's text hash changed (the new text is a new listing row).
 * `deleted`: its id vanished from a page that still covers that range of ids.
 */
export const postEvents = pgTable(
  'post_events',
  {
    id: serial('id').primaryKey(),
    kind: text('kind', { enum: ['edited', 'deleted'] }).notNull(),
    permalink: text('permalink').notNull(),
    sourceId: integer('source_id').references(() => sources.id),
    /** The page on which the change was seen. */
    pageId: integer('page_id')
      .notNull()
      .references(() => pages.id),
    oldTextSha256: text('old_text_sha256'),
    newTextSha256: text('new_text_sha256'),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('post_events_kind_permalink_page').on(t.kind, t.permalink, t.pageId),
    index('post_events_permalink').on(t.permalink),
  ],
);

/** One crawl; an unfinished run (a killed process) is resumed by the next crawl. */
export const crawlRuns = pgTable('crawl_runs', {
  id: serial('id').primaryKey(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

/**
 * The crawl frontier: every URL a run will fetch, with its state. Workers claim rows by id, so a
 * queue job can carry just the id. Crawl state, not evidence: rows are updated in place.
 */
export const frontier = pgTable(
  'frontier',
  {
    id: serial('id').primaryKey(),
    runId: integer('run_id')
      .notNull()
      .references(() => crawlRuns.id),
    /** Canonical URL (`https://t.me/s/name?before=N` for channel pages). */
    url: text('url').notNull(),
    sourceId: integer('source_id')
      .notNull()
      .references(() => sources.id),
    /** Hops from a seed through links and QR codes. */
    depth: integer('depth').notNull().default(0),
    /** Telegram: 0 for a channel's first page, n for the n-th older page. */
    pageNo: integer('page_no').notNull().default(0),
    /** Telegram: the newest post id on the channel's first page, carried to its older pages. */
    newestPostId: integer('newest_post_id'),
    state: text('state', { enum: ['queued', 'claimed', 'done', 'failed'] })
      .notNull()
      .default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** The stored page once fetched: a resumed crawl extracts it instead of fetching again. */
    pageId: integer('page_id').references(() => pages.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('frontier_run_url').on(t.runId, t.url),
    index('frontier_run_state').on(t.runId, t.state, t.id),
  ],
);

/** A decoded image, content-addressed. */
export const images = pgTable('images', {
  id: serial('id').primaryKey(),
  sha256: text('sha256').notNull().unique(),
  mime: text('mime').notNull(),
  width: integer('width'),
  height: integer('height'),
  size: integer('size').notNull(),
  /** 64-bit difference hash (hex) for finding the same picture re-used, resized or recompressed. */
  dhash: text('dhash'),
  createdAt: createdAt(),
});

/** Which listing showed which image URL; imageId is null when the image could not be read. */
export const listingImages = pgTable(
  'listing_images',
  {
    id: serial('id').primaryKey(),
    listingId: integer('listing_id')
      .notNull()
      .references(() => listings.id),
    url: text('url').notNull(),
    imageId: integer('image_id').references(() => images.id),
    error: text('error'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('listing_images_listing_url').on(t.listingId, t.url)],
);

/** A QR code read from an image. */
export const qrCodes = pgTable(
  'qr_codes',
  {
    id: serial('id').primaryKey(),
    imageId: integer('image_id')
      .notNull()
      .references(() => images.id),
    text: text('text').notNull(),
    kind: text('kind').notNull(),
    target: text('target'),
    position: jsonb('position').$type<{ x: number; y: number }[]>(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('qr_codes_image_text').on(t.imageId, t.text)],
);

/** One scoring of one listing by one rule-pack version. */
export const detections = pgTable(
  'detections',
  {
    id: serial('id').primaryKey(),
    listingId: integer('listing_id')
      .notNull()
      .references(() => listings.id),
    rulePackVersion: text('rule_pack_version').notNull(),
    verdict: text('verdict', { enum: ['shop', 'recruit', 'none'] }).notNull(),
    score: real('score').notNull(),
    flagged: boolean('flagged').notNull(),
    matches: jsonb('matches').$type<DetectionMatch[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('detections_listing_pack').on(t.listingId, t.rulePackVersion)],
);

/** A match as stored: offsets are into the listing's original text. */
export interface DetectionMatch {
  rule: string;
  category: string;
  start: number;
  end: number;
  text: string;
}

/** The evidence bundle of one flagged listing; created once, never changed. */
export const bundles = pgTable(
  'bundles',
  {
    id: text('id').primaryKey(),
    listingId: integer('listing_id')
      .notNull()
      .unique()
      .references(() => listings.id),
    detectionId: integer('detection_id')
      .notNull()
      .references(() => detections.id),
    parentBundleId: text('parent_bundle_id'),
    createdAt: createdAt(),
  },
  (t) => [index('bundles_created').on(t.createdAt)],
);

/** A file of a bundle: its bytes are in the blob store under sha256. */
export const artifacts = pgTable(
  'artifacts',
  {
    id: serial('id').primaryKey(),
    bundleId: text('bundle_id')
      .notNull()
      .references(() => bundles.id),
    name: text('name').notNull(),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    mime: text('mime').notNull(),
  },
  (t) => [uniqueIndex('artifacts_bundle_name').on(t.bundleId, t.name)],
);

/** Console and CLI accounts. */
export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  role: text('role', { enum: ['volunteer', 'liaison', 'admin'] }).notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: createdAt(),
});

/** A review decision; a changed mind is a new row, the latest per reviewer counts. */
export const reviews = pgTable(
  'reviews',
  {
    id: serial('id').primaryKey(),
    bundleId: text('bundle_id')
      .notNull()
      .references(() => bundles.id),
    reviewer: text('reviewer').notNull(),
    decision: text('decision', { enum: ['confirm', 'dismiss', 'escalate'] }).notNull(),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [index('reviews_bundle').on(t.bundleId)],
);

/** Console log-in sessions. */
export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  userId: integer('user_id')
    .notNull()
    .references(() => users.id),
  csrf: text('csrf').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/**
 * The custody log: one hash chain per bundle (chain = bundle id) plus a `global` chain.
 * hash = SHA-256 of prevHash and the event's canonical JSON; a fork is refused by the unique key.
 */
export const custodyEvents = pgTable(
  'custody_events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    chain: text('chain').notNull(),
    event: text('event').notNull(),
    actor: text('actor').notNull(),
    at: text('at').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull().unique(),
  },
  (t) => [uniqueIndex('custody_chain_prev').on(t.chain, t.prevHash)],
);

/** Bytes in Postgres (bytea) as a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

/**
 * Content-addressed blobs shared by every worker (distributed mode, DATABASE_URL set): the key is
 * the SHA-256 of the bytes, so a blob is written once and re-hashed on every read.
 */
export const blobs = pgTable('blobs', {
  sha256: text('sha256').primaryKey(),
  bytes: bytea('bytes').notNull(),
  size: integer('size').notNull(),
  createdAt: createdAt(),
});

/** The options a distributed crawl run was started with, read by every queue worker. */
export const runOptions = pgTable('run_options', {
  runId: integer('run_id')
    .primaryKey()
    .references(() => crawlRuns.id),
  options: jsonb('options').$type<Record<string, unknown>>().notNull(),
  createdAt: createdAt(),
});

export type Source = typeof sources.$inferSelect;
export type Page = typeof pages.$inferSelect;
export type Listing = typeof listings.$inferSelect;
export type Detection = typeof detections.$inferSelect;
export type Bundle = typeof bundles.$inferSelect;
export type Artifact = typeof artifacts.$inferSelect;
export type User = typeof users.$inferSelect;
export type CustodyEvent = typeof custodyEvents.$inferSelect;
export type PostEvent = typeof postEvents.$inferSelect;
export type FrontierRow = typeof frontier.$inferSelect;
