import type { Person } from '../types.js';

function clean(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed ? trimmed : null;
}

/** Person URLs are often scheme-less (`example.com`); only schemes other than http(s) are dropped (no `javascript:`). */
function cleanUrl(value: unknown): string | null {
  const url = clean(value);
  if (!url) return null;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme && scheme !== 'http' && scheme !== 'https' && !/^[a-z0-9.-]+:\d/i.test(url)) return null;
  return url;
}

function cleanEmail(value: unknown): string | null {
  const email = clean(value);
  return email ? email.replace(/^mailto:/i, '') : null;
}

function person(name: string | null, email: string | null, url: string | null): Person | null {
  return name || email || url ? { name, email, url } : null;
}

/** npm's string form `Name <email> (url)`, each part optional (the same split npm's own normalizer does). */
export function parsePersonString(value: string): Person | null {
  const name = /^([^(<]+)/.exec(value)?.[1];
  const email = /<([^<>]+)>/.exec(value)?.[1];
  const url = /\(([^()]+)\)/.exec(value)?.[1];
  return person(clean(name), cleanEmail(email), cleanUrl(url));
}

/** A person in either form: the string form, or `{name, email, url}` (`web` and `mail` are legacy spellings). */
export function parsePerson(value: unknown): Person | null {
  if (typeof value === 'string') return parsePersonString(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  return person(clean(record.name), cleanEmail(record.email ?? record.mail), cleanUrl(record.url ?? record.web));
}

/** A list of people; a single person (string or object) is accepted too, unparseable entries are dropped. */
export function parsePeople(value: unknown): Person[] {
  const entries = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const out: Person[] = [];
  for (const entry of entries) {
    const parsed = parsePerson(entry);
    if (parsed) out.push(parsed);
  }
  return out;
}
