/*
 * A go.mod parser after golang.org/x/mod/modfile (read.go lexer + rule.go directives).
 * Grammar: https://go.dev/ref/mod#go-mod-file-grammar
 *
 * - Newlines end statements; `verb (` ... `)` groups lines of one verb into a block.
 * - Only `//` comments. A comment alone on its line(s) right before a statement belongs to it ("before");
 *   a blank line at top level detaches it. Inside a block comments stay attached across blank lines.
 *   A comment after tokens on the same line is that line's "suffix" (`// indirect`).
 * - Tokens are identifiers (any run of printable non-space characters except `( ) [ ] { } ,`),
 *   interpreted strings "..." (Go escapes) and raw strings `...`.
 * - Every directive a module author can write is read (module, go, toolchain, godebug, require, exclude,
 *   replace, retract, tool, ignore); a malformed line is skipped and reported in `errors`, never thrown,
 *   because dependencies' go.mod files are read leniently by the go command too.
 */

export interface GoModRequire {
  path: string;
  version: string;
  /** Marked `// indirect` (a dependency of a dependency, recorded for module graph pruning). */
  indirect: boolean;
}

export interface GoModExclude {
  path: string;
  version: string;
}

export interface GoModReplace {
  oldPath: string;
  /** null: every version of oldPath is replaced. */
  oldVersion: string | null;
  /** A module path, or a directory (`./fork`, `../x`, `/abs`) when newVersion is null. */
  newPath: string;
  newVersion: string | null;
}

export interface GoModRetract {
  /** Inclusive interval; equal for a single version. */
  low: string;
  high: string;
  /** The comment on (or, in a block without own comments, before) the directive; '' when none. */
  rationale: string;
}

export interface GoModFile {
  module: string | null;
  /** Text after `Deprecated:` in the module directive's comments (https://go.dev/ref/mod#go-mod-file-module-deprecation). */
  deprecated: string | null;
  go: string | null;
  toolchain: string | null;
  godebug: Array<{ key: string; value: string }>;
  require: GoModRequire[];
  exclude: GoModExclude[];
  replace: GoModReplace[];
  retract: GoModRetract[];
  tool: string[];
  ignore: string[];
  /** `line N: reason` for every line that was skipped. */
  errors: string[];
}

type TokenKind = 'word' | 'string' | '(' | ')' | '[' | ']' | ',' | '{' | '}';

interface Token {
  kind: TokenKind;
  /** Unquoted value for strings. */
  value: string;
}

interface PhysicalLine {
  number: number;
  tokens: Token[];
  /** The `//` comment on this line (text after `//`, untrimmed), or null. */
  comment: string | null;
  error: string | null;
}

const PUNCTUATION = new Set(['(', ')', '[', ']', ',', '{', '}']);

/** strconv.Unquote for an interpreted string body (escapes Go allows in string literals). */
function unquote(body: string): string | null {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = body[++i];
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };
    if (next === undefined) return null;
    if (next in simple) {
      out += simple[next];
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const width = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) return null;
      const code = Number.parseInt(hex, 16);
      if (code > 0x10ffff) return null;
      out += String.fromCodePoint(code);
      i += width;
    } else if (next >= '0' && next <= '7') {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) return null;
      out += String.fromCharCode(Number.parseInt(oct, 8));
      i += 2;
    } else {
      return null;
    }
  }
  return out;
}

/** Splits the file into lines of tokens; strings never span lines in practice, so the lexer works line by line. */
function lex(text: string): PhysicalLine[] {
  const lines: PhysicalLine[] = [];
  const source = text.replace(/^\uFEFF/, '').split('\n');
  source.forEach((raw, index) => {
    const line: PhysicalLine = { number: index + 1, tokens: [], comment: null, error: null };
    const s = raw.replace(/\r$/, '');
    let i = 0;
    while (i < s.length && line.error === null) {
      const char = s[i]!;
      if (char === ' ' || char === '\t' || char === '\r' || char === '\v' || char === '\f') {
        i++;
      } else if (s.startsWith('//', i)) {
        line.comment = s.slice(i + 2);
        break;
      } else if (s.startsWith('/*', i)) {
        line.error = 'mod files must use // comments (not /* */ comments)';
      } else if (PUNCTUATION.has(char)) {
        line.tokens.push({ kind: char as TokenKind, value: char });
        i++;
      } else if (char === '"') {
        let j = i + 1;
        while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
        if (j >= s.length) {
          line.error = 'unterminated quoted string';
          break;
        }
        const value = unquote(s.slice(i + 1, j));
        if (value === null) line.error = `invalid quoted string ${s.slice(i, j + 1)}`;
        else line.tokens.push({ kind: 'string', value });
        i = j + 1;
      } else if (char === '`') {
        const j = s.indexOf('`', i + 1);
        if (j < 0) {
          line.error = 'unterminated raw string';
          break;
        }
        line.tokens.push({ kind: 'string', value: s.slice(i + 1, j) });
        i = j + 1;
      } else {
        let j = i;
        while (j < s.length && !/\s/.test(s[j]!) && !PUNCTUATION.has(s[j]!) && !s.startsWith('//', j) && s[j] !== '"' && s[j] !== '`') j++;
        line.tokens.push({ kind: 'word', value: s.slice(i, j) });
        i = j;
      }
    }
    lines.push(line);
  });
  return lines;
}

/** One statement: the verb's arguments with its comments. */
interface Statement {
  verb: string;
  args: Token[];
  line: number;
  before: string[];
  suffix: string[];
  /** The enclosing block's own comments (before `verb (` and on that line), for blocks. */
  block: { before: string[]; suffix: string[] } | null;
}

function parseStatements(text: string, errors: string[]): Statement[] {
  const statements: Statement[] = [];
  let pending: string[] = [];
  let block: { verb: string; line: number; before: string[]; suffix: string[] } | null = null;
  for (const line of lex(text)) {
    if (line.error) {
      errors.push(`line ${line.number}: ${line.error}`);
      pending = [];
      continue;
    }
    const { tokens, comment } = line;
    if (tokens.length === 0) {
      if (comment !== null) pending.push(comment);
      // A blank line ends a top-level comment group; inside a block comments carry over (modfile keeps them).
      else if (!block) pending = [];
      continue;
    }
    const suffix = comment === null ? [] : [comment];
    if (block) {
      if (tokens[0]!.kind === ')') {
        if (tokens.length > 1) errors.push(`line ${line.number}: syntax error (expected newline after closing paren)`);
        block = null;
        pending = [];
        continue;
      }
      statements.push({ verb: block.verb, args: tokens, line: line.number, before: pending, suffix, block: { before: block.before, suffix: block.suffix } });
      pending = [];
      continue;
    }
    const [head, ...args] = tokens;
    if (head!.kind !== 'word' && head!.kind !== 'string') {
      errors.push(`line ${line.number}: syntax error (unexpected ${JSON.stringify(head!.value)})`);
      pending = [];
      continue;
    }
    if (args.length >= 1 && args[0]!.kind === '(') {
      if (args.length === 2 && args[1]!.kind === ')') {
        // `require ()`: an empty block on one line.
      } else if (args.length > 1) {
        errors.push(`line ${line.number}: syntax error (expected newline after opening paren)`);
      } else {
        block = { verb: head!.value, line: line.number, before: pending, suffix };
      }
      pending = [];
      continue;
    }
    statements.push({ verb: head!.value, args, line: line.number, before: pending, suffix, block: null });
    pending = [];
  }
  if (block) errors.push(`line ${block.line}: syntax error (unterminated block started here)`);
  return statements;
}

/** modfile.parseDirectiveComment: the line's comments, else (in a block) the block's; an empty `//` is a paragraph break. */
function directiveComment(statement: Statement): string {
  let lines = [...statement.before, ...statement.suffix];
  if (lines.length === 0 && statement.block) lines = [...statement.block.before, ...statement.block.suffix];
  return lines.map((text) => text.trim()).join('\n');
}

/** modfile.parseDeprecation: a paragraph starting with `Deprecated:`. */
function deprecationOf(statement: Statement): string | null {
  const text = directiveComment(statement);
  const match = /(?:^|\n\n)Deprecated: *([\s\S]*?)(?:$|\n\n)/.exec(text);
  return match ? match[1]! : null;
}

/** modfile.isIndirect: the first suffix comment is `indirect` or starts with `indirect;`. */
function isIndirect(statement: Statement): boolean {
  const first = statement.suffix[0];
  if (first === undefined) return false;
  const fields = first.trim().split(/\s+/).filter(Boolean);
  return (fields.length === 1 && fields[0] === 'indirect') || (fields.length > 1 && fields[0] === 'indirect;');
}

function plain(args: Token[]): string[] | null {
  return args.every((token) => token.kind === 'word' || token.kind === 'string') ? args.map((token) => token.value) : null;
}

/** modfile.GoVersionRE (1.21 also allows 1.21rc1 and 1.21.0). */
const GO_VERSION = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$/;
const TOOLCHAIN = /^(default|go1(\.[0-9A-Za-z.+-]*)?(-[0-9A-Za-z.+-]+)?)$/;

/** A replacement target that is a directory, not a module (modfile.IsDirectoryPath). */
export function isDirectoryPath(path: string): boolean {
  return path === '.' || path === '..' || /^(\.\.?[\\/]|[\\/]|[A-Za-z]:[\\/])/.test(path);
}

export function parseGoMod(text: string): GoModFile {
  const errors: string[] = [];
  const file: GoModFile = { module: null, deprecated: null, go: null, toolchain: null, godebug: [], require: [], exclude: [], replace: [], retract: [], tool: [], ignore: [], errors };
  for (const statement of parseStatements(text, errors)) {
    const fail = (reason: string) => errors.push(`line ${statement.line}: ${reason}`);
    const words = plain(statement.args);
    switch (statement.verb) {
      case 'module': {
        if (!words || words.length !== 1) { fail('usage: module module/path'); break; }
        if (file.module !== null) { fail('repeated module statement'); break; }
        file.module = words[0]!;
        file.deprecated = deprecationOf(statement);
        break;
      }
      case 'go': {
        if (!words || words.length !== 1 || !GO_VERSION.test(words[0]!)) { fail('usage: go 1.23'); break; }
        if (file.go !== null) { fail('repeated go statement'); break; }
        file.go = words[0]!;
        break;
      }
      case 'toolchain': {
        if (!words || words.length !== 1 || !TOOLCHAIN.test(words[0]!)) { fail('usage: toolchain go1.23.4'); break; }
        if (file.toolchain !== null) { fail('repeated toolchain statement'); break; }
        file.toolchain = words[0]!;
        break;
      }
      case 'godebug': {
        const pair = words?.length === 1 ? /^([^=\s]+)=(\S*)$/.exec(words[0]!) : null;
        if (!pair) { fail('usage: godebug key=value'); break; }
        file.godebug.push({ key: pair[1]!, value: pair[2]! });
        break;
      }
      case 'require':
      case 'exclude': {
        if (!words || words.length !== 2) { fail(`usage: ${statement.verb} module/path v1.2.3`); break; }
        const [path, version] = words as [string, string];
        if (statement.verb === 'require') file.require.push({ path, version, indirect: isIndirect(statement) });
        else file.exclude.push({ path, version });
        break;
      }
      case 'replace': {
        const arrow = words?.indexOf('=>') ?? -1;
        if (!words || arrow < 1 || arrow > 2 || words.length - arrow - 1 < 1 || words.length - arrow - 1 > 2) {
          fail('usage: replace module/path [v1.2.3] => other/module v1.4 | replace module/path [v1.2.3] => ../local/directory');
          break;
        }
        const newPath = words[arrow + 1]!;
        const newVersion = words[arrow + 2] ?? null;
        if (newVersion === null && !isDirectoryPath(newPath)) { fail('replacement module without version must be directory path (rooted or starting with . or ..)'); break; }
        if (newVersion !== null && isDirectoryPath(newPath)) { fail('replacement directory has no version'); break; }
        file.replace.push({ oldPath: words[0]!, oldVersion: arrow === 2 ? words[1]! : null, newPath, newVersion });
        break;
      }
      case 'retract': {
        const rationale = directiveComment(statement);
        const args = statement.args;
        if (args.length === 1 && (args[0]!.kind === 'word' || args[0]!.kind === 'string')) {
          file.retract.push({ low: args[0]!.value, high: args[0]!.value, rationale });
        } else if (
          args.length === 5 && args[0]!.kind === '[' && args[2]!.kind === ',' && args[4]!.kind === ']' &&
          (args[1]!.kind === 'word' || args[1]!.kind === 'string') && (args[3]!.kind === 'word' || args[3]!.kind === 'string')
        ) {
          file.retract.push({ low: args[1]!.value, high: args[3]!.value, rationale });
        } else {
          fail('usage: retract v1.2.3 | retract [v1.2.3, v1.3.0]');
        }
        break;
      }
      case 'tool':
      case 'ignore': {
        if (!words || words.length !== 1) { fail(`usage: ${statement.verb} path`); break; }
        file[statement.verb].push(words[0]!);
        break;
      }
      default:
        // Unknown verbs are ignored (modfile.ParseLax does the same for forward compatibility).
        fail(`unknown directive: ${statement.verb}`);
    }
  }
  return file;
}
