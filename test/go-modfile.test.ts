import { describe, expect, it } from 'vitest';
import { isDirectoryPath, parseGoMod } from '../src/ecosystems/go/modfile.js';
import { retractionOf } from '../src/ecosystems/go/versions.js';

const FULL = `// Package comment, detached by the blank line below.

// Deprecated: use example.com/new instead.
//
// It will not get fixes.
module "example.com/old" // the module

go 1.21.5
toolchain go1.22.3
godebug default=go1.21

require example.com/a v1.0.0
require (
	example.com/b v1.2.3 // indirect
	// a comment before c
	"example.com/c" v0.0.0-20200101000000-abcdefabcdef

	example.com/d v2.0.0+incompatible // indirect; needed by b
	example.com/e v1.0.0 // not indirect
)

exclude example.com/a v0.9.0
replace example.com/b v1.2.3 => example.com/b-fork v1.2.4
replace example.com/c => ../c
replace (
	example.com/e => example.com/f v1.0.0
	example.com/g v1.0.0 => /abs/g
)

// Published too early.
retract v0.1.0

retract (
	v1.5.3 // Published an incorrect branch accidentally
	// Security hole, see
	// https://example.com/advisory
	[v1.0.0, v1.0.5]
	v0.0.1
)
// Whole block: broken builds.
retract (
	v0.0.2
	v0.0.3 // own reason
)
tool example.com/a/cmd/gen
ignore ./node_modules
`;

describe('go.mod parser', () => {
  const mod = parseGoMod(FULL);

  it('reads module (quoted), go, toolchain and godebug', () => {
    expect(mod.module).toBe('example.com/old');
    expect(mod.go).toBe('1.21.5');
    expect(mod.toolchain).toBe('go1.22.3');
    expect(mod.godebug).toEqual([{ key: 'default', value: 'go1.21' }]);
    expect(mod.errors).toEqual([]);
  });

  it('reads the deprecation paragraph from the comments on the module line (a detached comment does not count)', () => {
    expect(mod.deprecated).toBe('use example.com/new instead.');
  });

  it('reads require lines and blocks, quoted paths, and the // indirect mark (also "indirect; reason")', () => {
    expect(mod.require).toEqual([
      { path: 'example.com/a', version: 'v1.0.0', indirect: false },
      { path: 'example.com/b', version: 'v1.2.3', indirect: true },
      { path: 'example.com/c', version: 'v0.0.0-20200101000000-abcdefabcdef', indirect: false },
      { path: 'example.com/d', version: 'v2.0.0+incompatible', indirect: true },
      { path: 'example.com/e', version: 'v1.0.0', indirect: false },
    ]);
  });

  it('keeps exclude and replace directives (module and directory targets)', () => {
    expect(mod.exclude).toEqual([{ path: 'example.com/a', version: 'v0.9.0' }]);
    expect(mod.replace).toEqual([
      { oldPath: 'example.com/b', oldVersion: 'v1.2.3', newPath: 'example.com/b-fork', newVersion: 'v1.2.4' },
      { oldPath: 'example.com/c', oldVersion: null, newPath: '../c', newVersion: null },
      { oldPath: 'example.com/e', oldVersion: null, newPath: 'example.com/f', newVersion: 'v1.0.0' },
      { oldPath: 'example.com/g', oldVersion: 'v1.0.0', newPath: '/abs/g', newVersion: null },
    ]);
  });

  it('reads retract singles and [low, high] ranges with their rationale (line comments, else the block comment)', () => {
    expect(mod.retract).toEqual([
      { low: 'v0.1.0', high: 'v0.1.0', rationale: 'Published too early.' },
      { low: 'v1.5.3', high: 'v1.5.3', rationale: 'Published an incorrect branch accidentally' },
      { low: 'v1.0.0', high: 'v1.0.5', rationale: 'Security hole, see\nhttps://example.com/advisory' },
      { low: 'v0.0.1', high: 'v0.0.1', rationale: '' },
      { low: 'v0.0.2', high: 'v0.0.2', rationale: 'Whole block: broken builds.' },
      { low: 'v0.0.3', high: 'v0.0.3', rationale: 'own reason' },
    ]);
  });

  it('reads tool and ignore directives', () => {
    expect(mod.tool).toEqual(['example.com/a/cmd/gen']);
    expect(mod.ignore).toEqual(['./node_modules']);
  });

  it('reads the synthesized go.mod of a pre-modules version', () => {
    expect(parseGoMod('module github.com/BurntSushi/toml\n')).toMatchObject({ module: 'github.com/BurntSushi/toml', go: null, require: [], errors: [] });
  });

  it('handles CRLF line endings, a BOM, tabs and raw strings', () => {
    const parsed = parseGoMod('\uFEFFmodule `example.com/raw`\r\n\r\nrequire (\r\n\texample.com/x\tv1.0.0 // indirect\r\n)\r\n');
    expect(parsed.module).toBe('example.com/raw');
    expect(parsed.require).toEqual([{ path: 'example.com/x', version: 'v1.0.0', indirect: true }]);
    expect(parsed.errors).toEqual([]);
  });

  it('decodes Go escapes in interpreted strings', () => {
    expect(parseGoMod('module "example.com/\\x61b\\u0063"\n').module).toBe('example.com/abc');
  });

  it('skips and reports malformed lines instead of throwing', () => {
    const parsed = parseGoMod(
      [
        'module example.com/m',
        'go banana',
        'require example.com/only-path',
        'replace example.com/x => example.com/y',
        'retract [v1.0.0 v1.1.0]',
        '/* block comment */',
        'frobnicate example.com/z',
        'require (',
        '\texample.com/ok v1.0.0',
      ].join('\n'),
    );
    expect(parsed.module).toBe('example.com/m');
    expect(parsed.go).toBeNull();
    expect(parsed.require).toEqual([{ path: 'example.com/ok', version: 'v1.0.0', indirect: false }]);
    expect(parsed.replace).toEqual([]);
    expect(parsed.retract).toEqual([]);
    expect(parsed.errors).toHaveLength(7);
    expect(parsed.errors.join('\n')).toMatch(/mod files must use \/\/ comments/);
    expect(parsed.errors.join('\n')).toMatch(/unterminated block/);
    expect(parsed.errors.join('\n')).toMatch(/unknown directive: frobnicate/);
  });

  it('classifies replacement targets that are directories', () => {
    for (const dir of ['./x', '../x', '/abs', '.', '..', 'C:\\go\\x', '.\\win']) expect(isDirectoryPath(dir), dir).toBe(true);
    for (const mod of ['example.com/x', 'x', '.hidden/x']) expect(isDirectoryPath(mod), mod).toBe(false);
  });
});

describe('retraction ranges', () => {
  const retracts = parseGoMod('module m.com/x\nretract (\n\t[v1.0.0, v1.2.0] // range\n\tv2.0.0-rc.1 // single\n\t[banana, v9.0.0] // invalid bound\n)\n').retract;

  it('covers a closed interval by semver precedence, prereleases and pseudo-versions included', () => {
    for (const inside of ['v1.0.0', 'v1.0.1', 'v1.1.0-rc.1', 'v1.1.1-0.20200101000000-abcdefabcdef', 'v1.2.0']) {
      expect(retractionOf(inside, retracts)?.rationale, inside).toBe('range');
    }
    for (const outside of ['v0.9.9', 'v1.0.0-rc.1', 'v1.2.1', 'v1.2.1-0.20200101000000-abcdefabcdef']) {
      expect(retractionOf(outside, retracts), outside).toBeNull();
    }
  });

  it('covers a single version exactly', () => {
    expect(retractionOf('v2.0.0-rc.1', retracts)?.rationale).toBe('single');
    expect(retractionOf('v2.0.0-rc.2', retracts)).toBeNull();
  });

  it('ignores a range with an invalid bound instead of retracting everything below it', () => {
    expect(retractionOf('v3.0.0', retracts)).toBeNull();
  });
});
