import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { licenseOfFiles } from '../src/ecosystems/go/index.js';
import { closestSpdxLicense, detectLicense } from '../src/ecosystems/go/license-text.js';
import { readmeDescription } from '../src/ecosystems/go/readme.js';
import { summarizeModuleZip, ZipError } from '../src/ecosystems/go/zip.js';
import { APACHE_HEADER_TEXT, BSD3_TEXT, MIT_TEXT, WIDGET_README, moduleZip } from './fixtures/go/module-zip.js';

const spdx = createRequire(import.meta.url)('spdx-license-list/full') as Record<string, { licenseText: string }>;

describe('license detection from license file texts', () => {
  it('recognizes the common licenses by their wording', () => {
    expect(detectLicense(MIT_TEXT)).toBe('MIT');
    expect(detectLicense(APACHE_HEADER_TEXT)).toBe('Apache-2.0');
    expect(detectLicense(BSD3_TEXT)).toBe('BSD-3-Clause');
  });

  it('tells BSD-2 from BSD-3 (the non-endorsement clause) and ISC from 0BSD', () => {
    const bsd2 = BSD3_TEXT.replace(/\s+\* Neither the name[\s\S]*?permission\.\n/, '\n');
    expect(bsd2).not.toMatch(/Neither/);
    expect(detectLicense(bsd2)).toBe('BSD-2-Clause');
    const isc = 'Copyright (c) 2020 A Person\n\nPermission to use, copy, modify, and/or distribute this software for any purpose with or without fee is hereby granted, provided that the above copyright notice and this permission notice appear in all copies.\n\nTHE SOFTWARE IS PROVIDED "AS IS".';
    expect(detectLicense(isc)).toBe('ISC');
    expect(detectLicense(isc.replace(', provided that the above copyright notice and this permission notice appear in all copies', ''))).toBe('0BSD');
  });

  it('is robust to reflowed lines, markdown and "licence" spellings', () => {
    const reflowed = `# MIT Licence\n\n${MIT_TEXT.replace(/\n(?!\n)/g, ' ').replace('THE SOFTWARE IS', '**THE SOFTWARE IS**')}`;
    expect(detectLicense(reflowed)).toBe('MIT');
  });

  it('reads GPL-family versions, -only by default and -or-later when the project notice says so', () => {
    expect(detectLicense(spdx['GPL-3.0-only']!.licenseText)).toBe('GPL-3.0-only');
    expect(detectLicense(spdx['LGPL-2.1-only']!.licenseText)).toBe('LGPL-2.1-only');
    expect(detectLicense(spdx['AGPL-3.0-only']!.licenseText)).toBe('AGPL-3.0-only');
    const notice = 'gotool is free software: you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation, either version 3 of the License, or (at your option) any later version.\n\n';
    expect(detectLicense(notice + spdx['GPL-3.0-only']!.licenseText)).toBe('GPL-3.0-or-later');
    expect(detectLicense(notice)).toBe('GPL-3.0-or-later');
    expect(detectLicense(spdx['MPL-2.0']!.licenseText)).toBe('MPL-2.0');
  });

  it('finds other SPDX licenses by text similarity (word-bag Dice coefficient)', () => {
    for (const id of ['Artistic-2.0', 'PostgreSQL', 'X11', 'NCSA', 'BlueOak-1.0.0', 'UPL-1.0']) {
      expect(detectLicense(spdx[id]!.licenseText), id).toBe(id);
    }
    expect(closestSpdxLicense(spdx['CC-BY-4.0']!.licenseText)).toEqual({ id: 'CC-BY-4.0', score: 1 });
  });

  it('does not guess for a custom license', () => {
    expect(detectLicense('Copyright 2024 Acme. All rights reserved.\n\nYou may look at this code but not use it in any product without a written agreement with Acme.')).toBeNull();
  });

  it('combines the root license files: AND, OR for LICENSE-MIT + LICENSE-APACHE, LGPL over its GPL companion', () => {
    expect(licenseOfFiles([{ name: 'LICENSE', text: MIT_TEXT }])).toEqual({ spdx: 'MIT', name: 'MIT', source: 'module zip: LICENSE' });
    expect(licenseOfFiles([{ name: 'LICENSE', text: BSD3_TEXT }, { name: 'LICENSE.third-party', text: MIT_TEXT }])?.spdx).toBe('BSD-3-Clause AND MIT');
    expect(licenseOfFiles([{ name: 'LICENSE-APACHE', text: APACHE_HEADER_TEXT }, { name: 'LICENSE-MIT', text: MIT_TEXT }])).toEqual({
      spdx: 'Apache-2.0 OR MIT',
      name: 'Apache-2.0 OR MIT',
      source: 'module zip: LICENSE-APACHE, LICENSE-MIT',
    });
    expect(licenseOfFiles([{ name: 'COPYING', text: spdx['GPL-3.0-only']!.licenseText }, { name: 'COPYING.LESSER', text: spdx['LGPL-3.0-only']!.licenseText }])?.spdx).toBe('LGPL-3.0-only');
    expect(licenseOfFiles([{ name: 'LICENSE', text: '\n  Acme Source-Available License 1.0\n\nYou may read it.' }])).toEqual({ spdx: null, name: 'Acme Source-Available License 1.0', source: 'module zip: LICENSE' });
    expect(licenseOfFiles([])).toBeNull();
  });
});

describe('description from the README', () => {
  it('takes the first paragraph of prose: no heading, badges, logo; markdown reduced to text', () => {
    expect(readmeDescription(WIDGET_README)).toBe('Widget spins tiny gophers in O(1). See the docs & enjoy.');
  });

  it('skips setext and reStructuredText titles, code, lists and tables', () => {
    expect(readmeDescription('File watcher\n============\n\nfsnotify watches files.\n')).toBe('fsnotify watches files.');
    expect(readmeDescription('=====\nTitle\n=====\n\n.. image:: https://x/badge.svg\n   :target: https://x\n\nReST text here.\n')).toBe('ReST text here.');
    expect(readmeDescription('```go\nx := 1\n\ny := 2\n```\n\n- a\n- b\n\n| a | b |\n|---|---|\n\nFinally prose.')).toBe('Finally prose.');
  });

  it('cuts long paragraphs at a word boundary and gives null when there is no prose', () => {
    const long = readmeDescription(`${'word '.repeat(200)}end`)!;
    expect(long.length).toBeLessThanOrEqual(501);
    expect(long.endsWith('word…')).toBe(true);
    expect(readmeDescription('# Only a title\n\n[![badge](https://x/b.svg)](https://x)\n')).toBeNull();
  });
});

describe('module zip summary', () => {
  const path = 'github.com/Acme/Widget';
  const version = 'v1.0.0';

  it('reads only the root license files and README, hashes the zip and computes go.sum h1', () => {
    const zip = moduleZip(path, version, {
      'LICENSE': MIT_TEXT,
      'README.md': WIDGET_README,
      'README.txt': 'plain readme',
      'widget.go': 'package widget\n',
      'internal/LICENSE': APACHE_HEADER_TEXT,
      'go.mod': 'module github.com/Acme/Widget\n',
    });
    const summary = summarizeModuleZip(path, version, zip);
    expect(summary.licenseFiles).toEqual([{ name: 'LICENSE', text: MIT_TEXT }]);
    expect(summary.readme).toEqual({ name: 'README.md', text: WIDGET_README });
    expect(summary.fileCount).toBe(6);
    expect(summary.unpackedSize).toBe([MIT_TEXT, WIDGET_README, 'plain readme', 'package widget\n', APACHE_HEADER_TEXT, 'module github.com/Acme/Widget\n'].reduce((n, s) => n + Buffer.byteLength(s), 0));
    expect(summary.size).toBe(zip.length);
    expect(summary.sha256).toBe(createHash('sha256').update(zip).digest('hex'));
    // dirhash.Hash1: sha256 over sorted "sha256(file)  name\n" lines.
    const names = ['LICENSE', 'README.md', 'README.txt', 'go.mod', 'internal/LICENSE', 'widget.go'].map((name) => `${path}@${version}/${name}`).sort();
    const contents: Record<string, string> = { LICENSE: MIT_TEXT, 'README.md': WIDGET_README, 'README.txt': 'plain readme', 'widget.go': 'package widget\n', 'internal/LICENSE': APACHE_HEADER_TEXT, 'go.mod': 'module github.com/Acme/Widget\n' };
    const summaryText = names.map((name) => `${createHash('sha256').update(contents[name.slice(path.length + version.length + 2)]!).digest('hex')}  ${name}\n`).join('');
    expect(summary.h1).toBe(createHash('sha256').update(summaryText).digest('hex'));
  });

  it('finds COPYING, LICENCE.md, LICENSE-MIT and UNLICENSE, and reads UTF-16 text', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(MIT_TEXT, 'utf16le')]);
    const zip = moduleZip(path, version, { COPYING: 'c', 'LICENCE.md': 'l', 'LICENSE-MIT': new Uint8Array(utf16), UNLICENSE: 'u', 'LICENSE.docs': 'docs', 'NOTICE': 'n' });
    const summary = summarizeModuleZip(path, version, zip);
    expect(summary.licenseFiles.map((file) => file.name)).toEqual(['COPYING', 'LICENCE.md', 'LICENSE-MIT', 'UNLICENSE']);
    expect(summary.licenseFiles[2]!.text).toBe(MIT_TEXT);
    expect(summary.readme).toBeNull();
  });

  it('rejects an archive that is not a zip, or not this module\'s zip', () => {
    expect(() => summarizeModuleZip(path, version, Buffer.from('<html>not found</html>'))).toThrow(ZipError);
    const other = Buffer.from(zipSync({ 'github.com/other/mod@v1.0.0/LICENSE': strToU8(MIT_TEXT) }));
    expect(() => summarizeModuleZip(path, version, other)).toThrow(/outside github.com\/Acme\/Widget@v1.0.0\//);
  });
});
