/** One post or page text as extracted, before it is stored. */
export interface ExtractedListing {
  /** Stable address of the post: `https://t.me/NAME/ID` or the page URL. */
  permalink: string;
  text: string;
  postedAt?: string;
  /** Absolute http(s) and tg: links found in the text. */
  links: string[];
  /** Absolute URLs of the images shown with the listing. */
  imageUrls: string[];
}

/** What one page yields. */
export interface ExtractedPage {
  kind: 'telegram' | 'web';
  title?: string;
  listings: ExtractedListing[];
  /** The next (older) page of the same channel, if the page links one. */
  olderPage?: string;
}
