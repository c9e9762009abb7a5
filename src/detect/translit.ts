/** Latin transliterations of Cyrillic terms (закладка → zakladka, zakladca…), as people type them. */

const TABLE: Record<string, string[]> = {
  а: ['a'],
  б: ['b'],
  в: ['v'],
  г: ['g'],
  д: ['d'],
  е: ['e'],
  ж: ['zh', 'j'],
  з: ['z'],
  и: ['i'],
  й: ['i', 'y', 'j'],
  к: ['k'],
  л: ['l'],
  м: ['m'],
  н: ['n'],
  о: ['o'],
  п: ['p'],
  р: ['r'],
  с: ['s'],
  т: ['t'],
  у: ['u'],
  ф: ['f'],
  х: ['h', 'kh', 'x'],
  ц: ['ts', 'c'],
  ч: ['ch'],
  ш: ['sh'],
  щ: ['sch', 'sh'],
  ъ: [''],
  ы: ['y', 'i'],
  ь: ['', "'"],
  э: ['e'],
  ю: ['yu', 'ju'],
  я: ['ya', 'ja'],
};
const MAX_VARIANTS = 8;

/** Up to 8 Latin spellings of a (normalized, Cyrillic) term; [] when it has no Cyrillic letters. */
export function transliterate(term: string): string[] {
  if (!/[а-я]/.test(term)) return [];
  let variants = [''];
  for (const ch of term) {
    const options = TABLE[ch] ?? [ch];
    const nextVariants: string[] = [];
    for (const v of variants) for (const o of options) nextVariants.push(v + o);
    variants = nextVariants.slice(0, MAX_VARIANTS);
  }
  return [...new Set(variants.map((v) => v.replace(/'/g, '')))];
}
