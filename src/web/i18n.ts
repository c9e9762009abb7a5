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
  dashboard: { ru: 'Сводка', kk: 'Шолу', en: 'Dashboard' },
  exports: { ru: 'Экспорт', kk: 'Экспорт', en: 'Exports' },
  admin: { ru: 'Управление', kk: 'Басқару', en: 'Admin' },
  sources: { ru: 'Источники', kk: 'Дереккөздер', en: 'Sources' },
  rules: { ru: 'Правила', kk: 'Ережелер', en: 'Rules' },
  users: { ru: 'Пользователи', kk: 'Пайдаланушылар', en: 'Users' },
  role: { ru: 'Роль', kk: 'Рөлі', en: 'Role' },
  volunteer: { ru: 'волонтёр', kk: 'ерікті', en: 'volunteer' },
  liaison: { ru: 'связной', kk: 'байланысшы', en: 'liaison' },
  created: { ru: 'Создан', kk: 'Құрылды', en: 'Created' },
  add: { ru: 'Добавить', kk: 'Қосу', en: 'Add' },
  pause: { ru: 'Приостановить', kk: 'Тоқтата тұру', en: 'Pause' },
  resume: { ru: 'Возобновить', kk: 'Жалғастыру', en: 'Resume' },
  paused: { ru: 'на паузе', kk: 'тоқтатылған', en: 'paused' },
  watching: { ru: 'отслеживается', kk: 'бақылануда', en: 'watching' },
  label: { ru: 'Метка', kk: 'Белгі', en: 'Label' },
  every: { ru: 'Как часто', kk: 'Қаншалықты жиі', en: 'How often' },
  kind: { ru: 'Тип', kk: 'Түрі', en: 'Kind' },
  lastCrawled: { ru: 'Последний обход', kk: 'Соңғы шолу', en: 'Last crawled' },
  oneTimePassword: {
    ru: 'Одноразовый пароль (показан один раз, передайте его лично):',
    kk: 'Бір реттік құпиясөз (бір рет көрсетіледі, жеке беріңіз):',
    en: 'One-time password (shown once; hand it over in person):',
  },
  rule: { ru: 'Правило', kk: 'Ереже', en: 'Rule' },
  category: { ru: 'Категория', kk: 'Санат', en: 'Category' },
  weight: { ru: 'Вес', kk: 'Салмағы', en: 'Weight' },
  hits: { ru: 'Срабатывания', kk: 'Іске қосылулар', en: 'Hits' },
  dismissedShare: {
    ru: 'Доля отклонённых (из решённых)',
    kk: 'Қабылданбағандар үлесі (шешілгендерден)',
    en: 'Dismissed share (of decided)',
  },
  enabled: { ru: 'Включено', kk: 'Қосулы', en: 'Enabled' },
  yes: { ru: 'да', kk: 'иә', en: 'yes' },
  no: { ru: 'нет', kk: 'жоқ', en: 'no' },
  rulesReadOnly: {
    ru: 'Только просмотр: правила меняются командой dozor rules.',
    kk: 'Тек қарау: ережелер dozor rules командасымен өзгертіледі.',
    en: 'Read-only: change rules with the dozor rules command.',
  },
  confirmedBundles: { ru: 'Подтверждённые пакеты', kk: 'Расталған пакеттер', en: 'Confirmed bundles' },
  exportAll: {
    ru: 'Скачать пакет всех подтверждённых',
    kk: 'Барлық расталғандардың пакетін жүктеу',
    en: 'Download a packet of all confirmed',
  },
  exportShop: { ru: 'Скачать пакет магазина', kk: 'Дүкен пакетін жүктеу', en: 'Download shop packet' },
  exportHistory: { ru: 'История экспорта', kk: 'Экспорт тарихы', en: 'Export history' },
  packet: { ru: 'Пакет', kk: 'Пакет', en: 'Packet' },
  by: { ru: 'Кто', kk: 'Кім', en: 'By' },
  when: { ru: 'Когда', kk: 'Қашан', en: 'When' },
  flaggedPerDay: { ru: 'Отмечено за день', kk: 'Күніне белгіленгені', en: 'Flagged per day' },
  statusShare: { ru: 'Решения по пакетам', kk: 'Пакеттер бойынша шешімдер', en: 'Bundle outcomes' },
  perSource: { ru: 'По источникам', kk: 'Дереккөздер бойынша', en: 'Per source' },
  topShops: { ru: 'Крупнейшие магазины', kk: 'Ірі дүкендер', en: 'Top shops' },
  confirmedRate: { ru: 'подтверждено', kk: 'расталды', en: 'confirmed' },
  dismissedRate: { ru: 'отклонено', kk: 'қабылданбады', en: 'dismissed' },
  new: { ru: 'новый', kk: 'жаңа', en: 'new' },
  in_review: { ru: 'на проверке', kk: 'тексеруде', en: 'in review' },
  confirmed: { ru: 'подтверждён', kk: 'расталған', en: 'confirmed' },
  dismissed: { ru: 'отклонён', kk: 'қабылданбаған', en: 'dismissed' },
  escalated: { ru: 'передан выше', kk: 'жоғары жіберілді', en: 'escalated' },
  qrCodes: { ru: 'QR-коды', kk: 'QR-кодтар', en: 'QR codes' },
  images: { ru: 'Изображения', kk: 'Суреттер', en: 'Images' },
  clickToShow: { ru: 'нажмите, чтобы показать', kk: 'көрсету үшін басыңыз', en: 'click to show' },
  links: { ru: 'Ссылки (не открываются)', kk: 'Сілтемелер (ашылмайды)', en: 'Links (not clickable)' },
  otherListings: {
    ru: 'Другие объявления магазина',
    kk: 'Дүкеннің басқа хабарландырулары',
    en: "The shop's other listings",
  },
  noShop: {
    ru: 'Не связан ни с одним магазином.',
    kk: 'Ешбір дүкенмен байланыспаған.',
    en: 'Not linked to any shop.',
  },
  shopsPending: {
    ru: 'Связи магазинов пересчитываются, обновите страницу чуть позже.',
    kk: 'Дүкен байланыстары қайта есептелуде, сәлден кейін жаңартыңыз.',
    en: 'Shop links are being computed; reload in a moment.',
  },
  decisions: { ru: 'Решения', kk: 'Шешімдер', en: 'Decisions' },
  decisionsHidden: {
    ru: 'Решения других скрыты, пока вы не решите сами.',
    kk: 'Басқалардың шешімдері сіз шешкенше жасырын.',
    en: "Others' decisions stay hidden until you decide.",
  },
  newer: { ru: 'Новее', kk: 'Жаңарақ', en: 'Newer' },
  older: { ru: 'Старее', kk: 'Ескірек', en: 'Older' },
  shortcuts: { ru: 'Горячие клавиши', kk: 'Жылдам пернелер', en: 'Keyboard shortcuts' },
  keyNext: { ru: 'следующий (старее)', kk: 'келесі (ескірек)', en: 'next (older)' },
  keyPrev: { ru: 'предыдущий (новее)', kk: 'алдыңғы (жаңарақ)', en: 'previous (newer)' },
  keyNote: { ru: 'к заметке', kk: 'ескертпеге', en: 'focus the note' },
  keyHelp: { ru: 'эта справка', kk: 'осы анықтама', en: 'this help' },
  download: { ru: 'скачать', kk: 'жүктеу', en: 'download' },
  score: { ru: 'Оценка', kk: 'Ұпай', en: 'Score' },
  permalink: { ru: 'Адрес', kk: 'Мекенжай', en: 'Address' },
  count: { ru: 'Кол-во', kk: 'Саны', en: 'Count' },
  total: { ru: 'Всего', kk: 'Барлығы', en: 'Total' },
  reviewer: { ru: 'Проверяющий', kk: 'Тексеруші', en: 'Reviewer' },
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
