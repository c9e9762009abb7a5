// Dozor console: keyboard shortcuts for triage. Served from 'self' (the CSP forbids inline script);
// every action is a plain link or form button, so the console works the same without this file.
(() => {
  const typing = (el) => !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  let submitted = false;
  const press = (selector, ev) => {
    const el = document.querySelector(selector);
    if (!el) return;
    ev.preventDefault();
    if (el.tagName === 'BUTTON') {
      if (submitted) return;
      submitted = true;
    }
    el.click();
  };
  const help = () => document.getElementById('help');
  document.addEventListener('submit', () => {
    submitted = true;
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (typing(document.activeElement)) {
      if (ev.key === 'Escape') document.activeElement.blur();
      return;
    }
    switch (ev.key) {
      case 'c':
      case 'd':
      case 'e':
        press(`form.decide button[data-key="${ev.key}"]`, ev);
        break;
      case 'j':
        press('a[rel="next"]', ev);
        break;
      case 'k':
        press('a[rel="prev"]', ev);
        break;
      case 'n': {
        const note = document.querySelector('form.decide textarea');
        if (note) {
          ev.preventDefault();
          note.focus();
        }
        break;
      }
      case '?': {
        const h = help();
        if (h) {
          ev.preventDefault();
          h.open = !h.open;
        }
        break;
      }
      case 'Escape':
        if (help()) help().open = false;
        break;
    }
  });
  // Images stay blurred until clicked: the checkbox inside each label does it without script;
  // the class mirrors it for browsers without :has().
  for (const box of document.querySelectorAll('label.blur input')) {
    box.addEventListener('change', () => box.parentElement.classList.toggle('shown', box.checked));
  }
})();
