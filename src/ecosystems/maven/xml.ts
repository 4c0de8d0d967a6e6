import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A body that is not well-formed XML in a supported encoding; the adapter turns it into UPSTREAM_INVALID. */
export class XmlDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlDocumentError';
  }
}

/** Encodings a POM can declare that decode as ISO-8859-1 (TextDecoder's `latin1` is its windows-1252 superset). */
const LATIN1_LABELS = new Set(['iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'l1', 'us-ascii', 'ascii', 'windows-1252', 'cp1252']);

/** The `encoding` pseudo-attribute of the XML declaration, single- or double-quoted. */
export function declaredEncoding(head: string): string | null {
  const match = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._:-]*)\1/.exec(head);
  return match ? match[2]!.toLowerCase() : null;
}

/**
 * Bytes -> text the way an XML reader does: a byte-order mark wins, then the declaration's encoding
 * (UTF-8 when none). POMs declared UTF-8 but written in Latin-1 exist on Central: those bytes are not valid
 * UTF-8, so they are read as Latin-1 rather than turned into replacement characters.
 */
export function decodeXml(body: Uint8Array): string {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return new TextDecoder('utf-8').decode(body.subarray(3));
  if (body[0] === 0xff && body[1] === 0xfe) return new TextDecoder('utf-16le').decode(body.subarray(2));
  if (body[0] === 0xfe && body[1] === 0xff) return new TextDecoder('utf-16be').decode(body.subarray(2));
  // The declaration is ASCII in every ASCII-compatible encoding, so reading the head as Latin-1 is safe.
  const head = new TextDecoder('latin1').decode(body.subarray(0, 256));
  const encoding = declaredEncoding(head) ?? 'utf-8';
  if (LATIN1_LABELS.has(encoding)) return new TextDecoder('latin1').decode(body);
  if (encoding === 'utf-8' || encoding === 'utf8') {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      return new TextDecoder('latin1').decode(body);
    }
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding);
  } catch {
    throw new XmlDocumentError(`unsupported XML encoding ${JSON.stringify(encoding)}`);
  }
  return decoder.decode(body);
}

/**
 * Parses XML into plain objects: every value stays a string (`1.10` must not become 1.1), attributes are
 * kept as `@_name`, namespace prefixes dropped, and the elements at `arrayPaths` (dot paths from the root)
 * are always arrays, whether the document has one of them or many.
 */
export function createXmlReader(arrayPaths: readonly string[]): (text: string) => Record<string, unknown> {
  const arrays = new Set(arrayPaths);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    removeNSPrefix: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    trimValues: true,
    // Numeric character references (`&#233;`) are XML; fast-xml-parser decodes them only with this on.
    htmlEntities: true,
    isArray: (_name, jPath) => arrays.has(String(jPath)),
  });
  return (text: string) => {
    const validation = XMLValidator.validate(text);
    if (validation !== true) {
      const { msg, line } = validation.err;
      throw new XmlDocumentError(`not well-formed XML (line ${line}: ${msg})`);
    }
    const parsed: unknown = parser.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new XmlDocumentError('no root element');
    return parsed as Record<string, unknown>;
  };
}
