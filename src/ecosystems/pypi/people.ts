import type { Person } from '../types.js';
import { isUnknown } from './license.js';

/*
 * Core metadata keeps people in four fields: Author / Maintainer (free-text names) and Author-email /
 * Maintainer-email (RFC 822 address lists, `Name <email>, "Last, First" <email>`). Metadata written by
 * PEP 621 tools puts names with non-ASCII letters through RFC 2047 (`=?utf-8?q?Timoth=C3=A9e?= <dev@x.fr>`).
 */

const ENCODED_WORD = /=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=/g;

function decodeBytes(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.toLowerCase()).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

/** Decodes RFC 2047 encoded words (Q and B encodings); blanks between two encoded words are dropped. */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  const joined = value.replace(/(\?=)\s+(?==\?)/g, '$1');
  return joined.replace(ENCODED_WORD, (_whole, charset: string, encoding: string, text: string) => {
    if (encoding.toUpperCase() === 'B') return decodeBytes(Buffer.from(text, 'base64'), charset);
    const bytes: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const char = text[i]!;
      if (char === '_') bytes.push(0x20);
      else if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
        bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(char.charCodeAt(0) & 0xff);
    }
    return decodeBytes(Buffer.from(bytes), charset);
  });
}

function clean(value: string | undefined | null): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = decodeEncodedWords(value).trim();
  return trimmed && !isUnknown(trimmed) ? trimmed : null;
}

/** Splits on commas outside quotes and angle brackets. */
function splitAddressList(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (char === '\\' && quoted && i + 1 < value.length) {
      current += char + value[++i]!;
      continue;
    }
    if (char === '"') quoted = !quoted;
    else if (char === '<' && !quoted) angle = true;
    else if (char === '>' && !quoted) angle = false;
    if (char === ',' && !quoted && !angle) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter(Boolean);
}

function unquote(name: string): string {
  const trimmed = name.trim();
  return trimmed.startsWith('"') && trimmed.endsWith('"') && trimmed.length >= 2 ? trimmed.slice(1, -1).replace(/\\(.)/g, '$1').trim() : trimmed;
}

interface Address {
  name: string | null;
  email: string | null;
}

/** `Name <email>`, `"Name" <email>`, `<email>`, `email`, `email (Name)`. */
function parseAddress(text: string): Address {
  const angle = /^(.*?)<([^<>]*)>\s*$/.exec(text);
  if (angle) return { name: unquote(angle[1]!) || null, email: angle[2]!.trim() || null };
  const comment = /^(\S+@\S+)\s*\(([^()]*)\)$/.exec(text);
  if (comment) return { name: comment[2]!.trim() || null, email: comment[1]! };
  return text.includes('@') && !/\s/.test(text) ? { name: null, email: text } : { name: unquote(text) || null, email: null };
}

/**
 * People of one role from its name field and its email field. Plain names zip with plain emails when both
 * lists have the same length (`author="A, B"`, `author_email="a@x, b@y"`); named addresses stand on their own.
 */
export function parsePypiPeople(names: string | undefined, emails: string | undefined): Person[] {
  const nameText = clean(names);
  const emailText = clean(emails);
  const nameList = nameText ? splitAddressList(nameText).map(unquote).filter(Boolean) : [];
  const addresses = emailText ? splitAddressList(emailText).map(parseAddress) : [];
  const out: Person[] = [];
  const add = (name: string | null, email: string | null) => {
    if (!name && !email) return;
    if (out.some((person) => person.name === name && person.email === email)) return;
    out.push({ name, email, url: null });
  };
  const plainEmails = addresses.every((address) => address.name === null && address.email !== null);
  if (nameList.length > 0 && addresses.length > 0 && plainEmails && nameList.length === addresses.length) {
    nameList.forEach((name, i) => add(name, addresses[i]!.email));
    return out;
  }
  if (nameList.length > 0 && addresses.length === 1 && plainEmails) {
    // One address for a list of names (`"A, B"` + `team@x`): the whole name field is that address's owner.
    add(nameText, addresses[0]!.email);
    return out;
  }
  for (const name of nameList) add(name, null);
  for (const address of addresses) {
    // `author="Jane"` + `author_email="Jane <jane@x>"`: one person, not two.
    const same = out.findIndex((person) => person.email === null && person.name !== null && person.name === address.name);
    if (same >= 0) out.splice(same, 1);
    add(address.name, address.email);
  }
  return out;
}
