/** Obfuscation a shop might apply, to measure recall after perturbation (deterministic). */

const HOMOGLYPH: Record<string, string> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  х: 'x',
  у: 'y',
  a: 'а',
  e: 'е',
  o: 'о',
  c: 'с',
};
const EMOJI = ['🔥', '💎', '✅', '⚡', '🚀'];

/** Perturbs `text`: homoglyphs in every other word, zero-width characters, a word spelled apart, emoji. */
export function perturb(text: string, seed = 1): string {
  const words = text.split(' ');
  return words
    .map((w, i) => {
      const k = (i + seed) % 4;
      if (k === 0) return [...w].map((c) => HOMOGLYPH[c] ?? c).join('');
      if (k === 1 && w.length > 3) return [...w].join('\u200b');
      if (k === 2 && w.length >= 3 && w.length <= 6 && /^\p{L}+$/u.test(w)) return [...w].join('.');
      if (k === 3) return `${w} ${EMOJI[i % EMOJI.length]}`;
      return w;
    })
    .join(' ');
}
