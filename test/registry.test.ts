import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ECOSYSTEM_IDS } from '../src/ecosystems/ids.js';
import { createAdapters, requireAdapter } from '../src/ecosystems/registry.js';
import { NotImplementedError } from '../src/errors.js';

const ecosystemsDir = path.resolve(import.meta.dirname, '..', 'src', 'ecosystems');

describe('ecosystem registry', () => {
  it('registers exactly the adapter folders, each a known id with its README', () => {
    const folders = fs.readdirSync(ecosystemsDir, { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name !== 'common').map((entry) => entry.name).sort();
    const adapters = createAdapters(loadConfig({ SCOUT_REGISTRY_NPM_URL: 'http://127.0.0.1:9' }));
    expect(Object.keys(adapters).sort()).toEqual(folders);
    for (const folder of folders) {
      expect(ECOSYSTEM_IDS).toContain(folder);
      expect(adapters[folder as keyof typeof adapters]?.id).toBe(folder);
      expect(fs.existsSync(path.join(ecosystemsDir, folder, 'README.md')), `${folder}/README.md`).toBe(true);
    }
  });

  it('answers an ecosystem without an adapter with NOT_IMPLEMENTED naming it', () => {
    expect(() => requireAdapter({}, 'pypi')).toThrow(NotImplementedError);
    expect(() => requireAdapter({}, 'pypi')).toThrow(/PYPI is not served yet/);
  });
});
