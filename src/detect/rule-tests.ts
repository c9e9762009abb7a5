/** Runs the `tests` embedded in each rule: texts it must match and texts it must not. */
import type { CompiledRule, RulePack } from './rule-types.ts';
import { findMatches } from './score.ts';

/** One failing embedded test, located at its rule's `file:line`. */
export interface RuleTestFailure {
  rule: string;
  file: string;
  line: number;
  expected: 'match' | 'no_match';
  text: string;
}

/** True when `rule` (enabled or not) matches `text` (after normalization). */
export function ruleMatches(pack: RulePack, rule: CompiledRule, text: string): boolean {
  return findMatches(pack, text, true).some((m) => m.rule === rule.id);
}

/** Every embedded test of the pack that fails. */
export function runEmbeddedTests(pack: RulePack): RuleTestFailure[] {
  return pack.rules.flatMap((rule) => {
    const at = { rule: rule.id, file: rule.file, line: rule.line };
    return [
      ...(rule.tests?.match ?? [])
        .filter((text) => !ruleMatches(pack, rule, text))
        .map((text) => ({ ...at, expected: 'match' as const, text })),
      ...(rule.tests?.no_match ?? [])
        .filter((text) => ruleMatches(pack, rule, text))
        .map((text) => ({ ...at, expected: 'no_match' as const, text })),
    ];
  });
}
