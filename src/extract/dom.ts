/**
 * Plain walks over a parsed DOM (domhandler nodes), for the Telegram extractor: one pass over a
 * subtree finds what a handful of CSS selectors would, without compiling and running each
 * selector per message.
 */
import { type AnyNode, type Element, isTag, isText, Text } from 'domhandler';
import { parseDocument } from 'htmlparser2';

/**
 * Parses HTML into a DOM. Line breaks are normalized first (`\r\n` and `\r` to `\n`), as the HTML
 * standard's input preprocessing (and parse5) does, so texts and their hashes do not depend on them.
 */
export function parseHtml(html: string) {
  return parseDocument(html.includes('\r') ? html.replace(/\r\n?/g, '\n') : html);
}

/** True when the element's class attribute lists `name`. */
export function hasClass(el: Element, name: string): boolean {
  const cls = el.attribs.class;
  if (!cls?.includes(name)) return false;
  return cls.split(/[ \t\n\f\r]+/).includes(name);
}

/** Every element under `node` (not `node` itself), in document order. */
export function* descendants(node: AnyNode): Generator<Element> {
  if (!('children' in node)) return;
  const stack: AnyNode[] = [...node.children].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (!isTag(n)) continue;
    yield n;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
}

/** The first element under `node` (document order) that satisfies `test`. */
export function findFirst(node: AnyNode, test: (el: Element) => boolean): Element | undefined {
  for (const el of descendants(node)) if (test(el)) return el;
  return undefined;
}

/** The text content of the nodes (comments excluded), like cheerio's `.text()`. */
export function textOf(node: AnyNode | undefined): string {
  if (!node) return '';
  if (isText(node)) return node.data;
  if (node.type === 'comment' || !('children' in node)) return '';
  let out = '';
  for (const c of node.children) out += textOf(c);
  return out;
}

const BLOCK_ENDS = new Set(['p', 'div', 'li', 'h1', 'h2', 'h3', 'h4', 'tr']);

/** The element's text with `<br>` and block ends (of elements inside it) as line breaks, and runs of blanks folded. */
export function textWithBreaksOf(el: AnyNode): string {
  const parts: string[] = [];
  const walk = (n: AnyNode, top: boolean) => {
    if (isText(n)) parts.push(n.data);
    else if (isTag(n)) {
      if (n.name === 'br') {
        parts.push('\n');
        return;
      }
      for (const c of n.children) walk(c, false);
      if (!top && BLOCK_ENDS.has(n.name)) parts.push('\n');
    } else if (n.type !== 'comment' && 'children' in n) for (const c of n.children) walk(c, false);
  };
  walk(el, true);
  return parts
    .join('')
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Replaces `el` in its parent by a text node holding `text`. */
export function replaceWithText(el: Element, text: string): void {
  const parent = el.parent;
  if (!parent) return;
  const t = new Text(text);
  const i = parent.children.indexOf(el);
  if (i < 0) return;
  parent.children[i] = t;
  t.parent = parent;
  t.prev = el.prev;
  t.next = el.next;
  if (el.prev) el.prev.next = t;
  if (el.next) el.next.prev = t;
  el.parent = el.prev = el.next = null;
}

/** True when `el` lies inside an element (strictly below `top`) that satisfies `test`. */
export function insideBelow(el: Element, top: Element, test: (el: Element) => boolean): boolean {
  for (let p = el.parent; p && p !== top; p = p.parent) if (isTag(p) && test(p)) return true;
  return false;
}
