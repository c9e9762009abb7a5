/**
 * YARA-style counting conditions over the categories a text hit, e.g.
 * `substance >= 1 and 1 of (delivery, contact, payment, price)`: `a+b >= N` counts the distinct
 * rules hit in those categories, `N of (a, b, c)` counts how many of the categories were hit.
 */
import { type Clause, type Condition, RuleError, type VerdictConditions } from './rule-types.ts';

/** Parses one condition; throws RuleError at `where` when it does not read. */
export function parseCondition(source: string, where: string): Condition {
  const clauses = source.split(/\s+and\s+/).map((part): Clause => {
    const p = part.trim();
    const of = /^(\d+)\s+of\s+\(([a-z,\s]+)\)$/.exec(p);
    if (of) return { kind: 'of', min: Number(of[1]), categories: of[2]!.split(',').map((s) => s.trim()) };
    const count = /^([a-z]+(?:\s*\+\s*[a-z]+)*)\s*>=\s*(\d+)$/.exec(p);
    if (count)
      return { kind: 'count', min: Number(count[2]), categories: count[1]!.split('+').map((s) => s.trim()) };
    throw new RuleError(
      'condition',
      where,
      `cannot read condition "${p}" (write "cat >= N" or "N of (a, b)")`,
    );
  });
  return { source, clauses };
}

/** Parses `{shop: [...], recruit: [...]}`, falling back to `defaults` for a missing verdict. */
export function parseVerdicts(raw: unknown, where: string, defaults: VerdictConditions): VerdictConditions {
  if (raw === undefined) return defaults;
  if (!raw || typeof raw !== 'object') throw new RuleError('condition', where, 'verdicts must be a mapping');
  const r = raw as Record<string, unknown>;
  const list = (key: 'shop' | 'recruit') => {
    const v = r[key];
    if (v === undefined) return defaults[key];
    if (!Array.isArray(v)) throw new RuleError('condition', where, `verdicts.${key} must be a list`);
    return v.map((s) => parseCondition(String(s), where));
  };
  for (const key of Object.keys(r))
    if (key !== 'shop' && key !== 'recruit')
      throw new RuleError('unknown_field', where, `unknown verdict "${key}"`);
  return { shop: list('shop'), recruit: list('recruit') };
}

/** True when `condition` holds for the hit counts: rules hit per category. */
export function holds(condition: Condition, rulesHit: Map<string, number>): boolean {
  return condition.clauses.every((c) => {
    if (c.kind === 'count') return c.categories.reduce((n, cat) => n + (rulesHit.get(cat) ?? 0), 0) >= c.min;
    return c.categories.filter((cat) => (rulesHit.get(cat) ?? 0) > 0).length >= c.min;
  });
}

/** The default conditions: a substance plus one other shop marker; recruitment plus pay or contact. */
export const DEFAULT_VERDICTS: VerdictConditions = {
  shop: [parseCondition('substance >= 1 and 1 of (delivery, contact, payment, price)', 'default')],
  recruit: [parseCondition('recruitment >= 1 and 1 of (contact, payment, price, delivery)', 'default')],
};
