/** One post or page text as extracted, before it is stored. */
export interface ExtractedListing {
  /** Stable address of the post: `https://t.me/NAME/ID` or the page URL. */
  permalink: string;
  text: string;
  postedAt?: string;
  /** Absolute http(s) and tg: links found in the text (and a link preview's target). */
  links: string[];
  /** Absolute URLs of the images shown with the listing. */
  imageUrls: string[];
  /** What else a Telegram post carries; absent for web pages. */
  meta?: PostMeta;
}

/** A Telegram post's structure beyond its text. */
export interface PostMeta {
  /** The post's id in its channel. */
  postId: number;
  /** `text` for ordinary posts; `service` (channel created, photo changed…); `unsupported` (open in the app). */
  kind: 'text' | 'service' | 'unsupported';
  /** Views, with K/M suffixes expanded. */
  views?: number;
  /** Each photo or video of the post; album items carry their own ids. */
  media: PostMedia[];
  /** The channel (and post) this was forwarded from. */
  forwardedFrom?: { name?: string; url?: string };
  /** The post this one replies to. */
  replyTo?: { postId?: number; url: string };
  linkPreview?: { url?: string; siteName?: string; title?: string; description?: string };
  /** The page marks the post as edited. */
  edited?: boolean;
}

/** One photo or video (thumbnail) of a post. */
export interface PostMedia {
  kind: 'photo' | 'video';
  /** The item's own id (album items), when the markup gives one. */
  id?: number;
  /** The image shown: the photo, or the video's thumbnail. */
  imageUrl?: string;
}

/** A channel's header on its preview page. */
export interface ChannelInfo {
  title?: string;
  username?: string;
  description?: string;
  /** `subscribers`, `photos`, `videos`, `links`, `files`… as whole numbers. */
  counters: Record<string, number>;
}

/** What one page yields. */
export interface ExtractedPage {
  kind: 'telegram' | 'web';
  title?: string;
  listings: ExtractedListing[];
  /** The next (older) page of the same channel, if the page links one. */
  olderPage?: string;
  /** Telegram previews: the channel's header. */
  channel?: ChannelInfo;
  /** Telegram previews: every post id the page shows (posts and album items), ascending. */
  postIds?: number[];
  /** A Telegram channel landing page (`t.me/NAME`) that offers no preview. */
  noPreview?: boolean;
}
