/** A bundle's review status, derived from its review records (the latest per reviewer counts). */

export type BundleStatus = 'new' | 'in_review' | 'confirmed' | 'dismissed' | 'escalated';
export const STATUSES: BundleStatus[] = ['new', 'in_review', 'confirmed', 'dismissed', 'escalated'];

/** The status given reviews in time order and the confirmations required. */
export function statusOf(reviews: { reviewer: string; decision: string }[], required: number): BundleStatus {
  const latest = new Map<string, string>();
  for (const r of reviews) latest.set(r.reviewer, r.decision);
  if (latest.size === 0) return 'new';
  const decisions = [...latest.values()];
  const count = (d: string) => decisions.filter((x) => x === d).length;
  if (count('escalate') > 0 || (count('confirm') > 0 && count('dismiss') > 0)) return 'escalated';
  if (count('confirm') >= required) return 'confirmed';
  if (count('dismiss') >= required) return 'dismissed';
  return 'in_review';
}
