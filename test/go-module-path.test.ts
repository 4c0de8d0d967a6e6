import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import { escapeModulePath, escapeModuleVersion, matchesPathMajor, modulePathProblem, normalizeModulePath, splitPathVersion } from '../src/ecosystems/go/module-path.js';
import { inferRepository, moduleLinks } from '../src/ecosystems/go/repository.js';

describe('module path validation (module.CheckPath)', () => {
  it('accepts real module paths and keeps their case', () => {
    for (const path of [
      'github.com/BurntSushi/toml',
      'golang.org/x/text',
      'gopkg.in/yaml.v3',
      'gopkg.in/check.v1',
      'gopkg.in/src-d/go-git.v4',
      'k8s.io/client-go',
      'example.com/m/v2',
      'github.com/a/b/c/v10',
      'go.uber.org/zap',
      'example.com/under_score/tilde~x',
      'my-host.example.com/a',
    ]) {
      expect(modulePathProblem(path), path).toBeNull();
      expect(normalizeModulePath(` ${path} `)).toBe(path);
    }
  });

  it.each([
    ['', 'empty string'],
    ['github', 'missing dot in first path element'],
    ['localhost/foo', 'missing dot in first path element'],
    ['GitHub.com/a/b', 'invalid char "G" in first path element'],
    ['github.com_x/a', 'invalid char "_" in first path element'],
    ['/github.com/a', 'leading slash'],
    ['github.com/a/', 'trailing slash'],
    ['github.com//a', 'double slash'],
    ['github.com/a/../b', 'double dot'],
    ['-x.com/a', 'leading dash'],
    ['github.com/a@v1.0.0', 'no "@"'],
    ['github.com/a b', 'invalid char " "'],
    ['github.com/a+b', 'invalid char "+"'],
    ['github.com/.hidden', 'leading dot in path element'],
    ['github.com/a./b', 'trailing dot in path element'],
    ['github.com/é', 'invalid char "é"'],
    ['example.com/m/v1', 'invalid version'],
    ['example.com/m/v0', 'invalid version'],
    ['example.com/m/v02', 'invalid version'],
    ['example.com/m/v2.1', 'invalid version'],
    ['gopkg.in/yaml', 'invalid version'],
    ['gopkg.in/yaml.v01', 'invalid version'],
    ['example.com/con', 'disallowed as path element component on Windows'],
    ['example.com/LPT1.txt', 'disallowed as path element component on Windows'],
    ['example.com/PROGRA~1', 'trailing tilde and digits'],
  ])('rejects %j (%s) with InvalidInputError', (path, reason) => {
    expect(modulePathProblem(path)).toContain(reason);
    expect(() => normalizeModulePath(path)).toThrow(InvalidInputError);
    expect(() => normalizeModulePath(path)).toThrow(reason);
  });

  it('accepts the proxy\'s case-encoded form and decodes it', () => {
    expect(normalizeModulePath('github.com/!burnt!sushi/toml')).toBe('github.com/BurntSushi/toml');
    expect(() => normalizeModulePath('github.com/!1x/y')).toThrow(/case-encoded/);
    expect(() => normalizeModulePath('github.com/x/y!')).toThrow(/case-encoded/);
  });
});

describe('case encoding on the wire (module.EscapePath / EscapeVersion)', () => {
  it('escapes every upper-case letter as ! + lower case', () => {
    expect(escapeModulePath('github.com/Azure/azure-sdk-for-go')).toBe('github.com/!azure/azure-sdk-for-go');
    expect(escapeModulePath('github.com/GoogleCloudPlatform/cloudsql-proxy')).toBe('github.com/!google!cloud!platform/cloudsql-proxy');
    expect(escapeModulePath('golang.org/x/text')).toBe('golang.org/x/text');
    expect(escapeModuleVersion('v1.0.0-RC1')).toBe('v1.0.0-!r!c1');
    expect(escapeModuleVersion('v2.0.0+incompatible')).toBe('v2.0.0+incompatible');
    expect(() => escapeModuleVersion('../v1')).toThrow(InvalidInputError);
    expect(() => escapeModuleVersion('v1!')).toThrow(InvalidInputError);
  });
});

describe('major version suffixes (SplitPathVersion / CheckPathMajor)', () => {
  it('splits /vN and gopkg.in .vN', () => {
    expect(splitPathVersion('example.com/m/v2')).toEqual({ prefix: 'example.com/m', pathMajor: '/v2' });
    expect(splitPathVersion('example.com/m')).toEqual({ prefix: 'example.com/m', pathMajor: '' });
    expect(splitPathVersion('gopkg.in/yaml.v3')).toEqual({ prefix: 'gopkg.in/yaml', pathMajor: '.v3' });
    expect(splitPathVersion('gopkg.in/yaml.v0')).toEqual({ prefix: 'gopkg.in/yaml', pathMajor: '.v0' });
  });

  it('matches versions to the path major', () => {
    expect(matchesPathMajor('example.com/m', 'v1.2.3')).toBe(true);
    expect(matchesPathMajor('example.com/m', 'v0.1.0')).toBe(true);
    expect(matchesPathMajor('example.com/m', 'v2.0.0')).toBe(false);
    expect(matchesPathMajor('example.com/m', 'v2.0.0+incompatible')).toBe(true);
    expect(matchesPathMajor('example.com/m/v2', 'v2.5.0')).toBe(true);
    expect(matchesPathMajor('example.com/m/v2', 'v1.5.0')).toBe(false);
    expect(matchesPathMajor('gopkg.in/yaml.v3', 'v3.0.1')).toBe(true);
    expect(matchesPathMajor('gopkg.in/check.v1', 'v0.0.0-20161208181325-20d25e280405')).toBe(true);
  });
});

describe('repository inferred from the module path', () => {
  it.each([
    ['github.com/fsnotify/fsnotify', 'https://github.com/fsnotify/fsnotify', 'https://github.com/fsnotify/fsnotify/issues'],
    ['github.com/BurntSushi/toml/v2', 'https://github.com/BurntSushi/toml', 'https://github.com/BurntSushi/toml/issues'],
    ['github.com/aws/aws-sdk-go-v2/service/s3', 'https://github.com/aws/aws-sdk-go-v2', 'https://github.com/aws/aws-sdk-go-v2/issues'],
    ['gitlab.com/group/project/v3', 'https://gitlab.com/group/project', 'https://gitlab.com/group/project/issues'],
    ['gitlab.com/group/sub/project.git/pkg', 'https://gitlab.com/group/sub/project', 'https://gitlab.com/group/sub/project/issues'],
    ['bitbucket.org/owner/repo', 'https://bitbucket.org/owner/repo', 'https://bitbucket.org/owner/repo/issues'],
    ['gopkg.in/yaml.v3', 'https://github.com/go-yaml/yaml', 'https://github.com/go-yaml/yaml/issues'],
    ['gopkg.in/src-d/go-git.v4', 'https://github.com/src-d/go-git', 'https://github.com/src-d/go-git/issues'],
    ['golang.org/x/text', 'https://go.googlesource.com/text', 'https://github.com/golang/go/issues'],
    ['google.golang.org/grpc/examples', 'https://github.com/grpc/grpc-go', 'https://github.com/grpc/grpc-go/issues'],
    ['cloud.google.com/go/storage', 'https://github.com/googleapis/google-cloud-go', 'https://github.com/googleapis/google-cloud-go/issues'],
    ['go.uber.org/zap', 'https://github.com/uber-go/zap', 'https://github.com/uber-go/zap/issues'],
    ['k8s.io/client-go', 'https://github.com/kubernetes/client-go', 'https://github.com/kubernetes/client-go/issues'],
    ['sigs.k8s.io/yaml', 'https://github.com/kubernetes-sigs/yaml', 'https://github.com/kubernetes-sigs/yaml/issues'],
    ['git.example.org/team/tool.git/v2', 'https://git.example.org/team/tool', null],
  ])('%s -> %s', (path, repository, issues) => {
    const links = inferRepository(path);
    expect(links.repository).toBe(repository);
    expect(links.issues).toBe(issues);
  });

  it('gives golang.org/x modules their GitHub mirror', () => {
    expect(inferRepository('golang.org/x/sys').mirror).toBe('https://github.com/golang/sys');
  });

  it('knows nothing about other vanity hosts: the proxy\'s Origin URL is used, never a request to the host', () => {
    expect(inferRepository('example.com/old/v2').repository).toBeNull();
    expect(moduleLinks('example.com/old/v2', 'https://git.example.com/old.git').repository).toBe('https://git.example.com/old');
    expect(moduleLinks('example.com/old/v2', 'ssh://git@example.com/old').repository).toBeNull();
    expect(moduleLinks('example.com/old/v2', null).repository).toBeNull();
    // The path's own rule wins over Origin (stable across versions).
    expect(moduleLinks('github.com/a/b', 'https://mirror.example.com/a/b').repository).toBe('https://github.com/a/b');
  });

  it('takes a GitLab subgroup project from Origin when it names a longer prefix of the path than the group/project guess', () => {
    // Origin of a nested-group module as the proxy sends it (`.git` suffix kept).
    const nested = moduleLinks('gitlab.com/acme-org/tools/widget-go/v2', 'https://gitlab.com/acme-org/tools/widget-go.git');
    expect(nested).toEqual({ repository: 'https://gitlab.com/acme-org/tools/widget-go', issues: 'https://gitlab.com/acme-org/tools/widget-go/issues', mirror: null });
    expect(moduleLinks('gitlab.com/acme-org/tools/widget-go', null).repository).toBe('https://gitlab.com/acme-org/tools');
    // An Origin that is not a prefix of the path (a fork, another host) does not replace the path's rule.
    expect(moduleLinks('gitlab.com/acme-org/tools/widget-go', 'https://gitlab.com/someone/else.git').repository).toBe('https://gitlab.com/acme-org/tools');
  });
});
