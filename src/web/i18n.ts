/** The console's UI strings in Russian, Kazakh and English; the language comes from a cookie or Accept-Language. */

export const LANGS = ['ru', 'kk', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const STRINGS = {
  title: { ru: 'Дозор', kk: 'Дозор', en: 'Dozor' },
  login: { ru: 'Войти', kk: 'Кіру', en: 'Log in' },
  logout: { ru: 'Выйти', kk: 'Шығу', en: 'Log out' },
  name: { ru: 'Имя', kk: 'Аты', en: 'Name' },
  password: { ru: 'Пароль', kk: 'Құпиясөз', en: 'Password' },
  badLogin: { ru: 'Неверное имя или пароль', kk: 'Аты немесе құпиясөз қате', en: 'Wrong name or password' },
  tooMany: {
    ru: 'Слишком много попыток, подождите',
    kk: 'Тым көп әрекет, күте тұрыңыз',
    en: 'Too many attempts, please wait',
  },
  queue: { ru: 'Очередь', kk: 'Кезек', en: 'Queue' },
  bundles: { ru: 'Пакеты', kk: 'Пакеттер', en: 'Bundles' },
  empty: {
    ru: 'Нечего проверять — очередь пуста.',
    kk: 'Тексеретін ештеңе жоқ — кезек бос.',
    en: 'Nothing to triage: the queue is empty.',
  },
  confirm: { ru: 'Подтвердить', kk: 'Растау', en: 'Confirm' },
  dismiss: { ru: 'Отклонить', kk: 'Қабылдамау', en: 'Dismiss' },
  escalate: { ru: 'Передать выше', kk: 'Жоғары жіберу', en: 'Escalate' },
  note: { ru: 'Заметка', kk: 'Ескертпе', en: 'Note' },
  text: { ru: 'Текст', kk: 'Мәтін', en: 'Text' },
  matches: { ru: 'Совпадения', kk: 'Сәйкестіктер', en: 'Matches' },
  screenshot: { ru: 'Снимок экрана', kk: 'Скриншот', en: 'Screenshot' },
  files: { ru: 'Файлы', kk: 'Файлдар', en: 'Files' },
  source: { ru: 'Источник', kk: 'Дереккөз', en: 'Source' },
  status: { ru: 'Статус', kk: 'Күйі', en: 'Status' },
  verdict: { ru: 'Вердикт', kk: 'Үкім', en: 'Verdict' },
  decided: { ru: 'Ваше решение записано', kk: 'Шешіміңіз жазылды', en: 'Your decision was recorded' },
  notFound: { ru: 'Не найдено', kk: 'Табылмады', en: 'Not found' },
  forbidden: { ru: 'Нет доступа', kk: 'Рұқсат жоқ', en: 'Forbidden' },
  shops: { ru: 'Магазины', kk: 'Дүкендер', en: 'Shops' },
  shop: { ru: 'Магазин', kk: 'Дүкен', en: 'Shop' },
  listings: { ru: 'Объявления', kk: 'Хабарландырулар', en: 'Listings' },
  identifiers: { ru: 'Идентификаторы', kk: 'Идентификаторлар', en: 'Identifiers' },
  active: { ru: 'активен', kk: 'белсенді', en: 'active' },
  offline: { ru: 'недоступен', kk: 'қолжетімсіз', en: 'offline' },
  firstSeen: { ru: 'Впервые замечен', kk: 'Алғаш байқалды', en: 'First seen' },
  lastSeen: { ru: 'Последний раз', kk: 'Соңғы рет', en: 'Last seen' },
  offlineSince: { ru: 'Недоступен с', kk: 'Қолжетімсіз', en: 'Offline since' },
} as const;

export type StringKey = keyof typeof STRINGS;

/** The string `key` in `lang`. */
export function t(lang: Lang, key: StringKey): string {
  return STRINGS[key][lang];
}

/** Picks the language: an explicit choice, else the first supported one in Accept-Language, else Russian. */
export function pickLang(chosen: string | undefined, acceptLanguage: string | undefined): Lang {
  if (chosen && (LANGS as readonly string[]).includes(chosen)) return chosen as Lang;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const code = part.trim().slice(0, 2).toLowerCase();
    if ((LANGS as readonly string[]).includes(code)) return code as Lang;
  }
  return 'ru';
}
