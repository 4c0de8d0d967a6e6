import { describe, expect, it } from 'vitest';
import {
  cargoFeatureClosure,
  evaluateCargoTarget,
  evaluateMarker,
  isFrameworkCompatible,
  nearestFrameworkGroup,
  npmPlatformAllows,
  parseTargetFramework,
  pythonSatisfies,
} from '../src/services/environment.js';

const env = (pythonVersion: string | null, os: string | null = null, arch: string | null = null, extras: string[] = []) => ({ pythonVersion, os, arch, extras: new Set(extras) });

describe('PEP 508 markers', () => {
  it('compares python_version and python_full_version as PEP 440 versions, not strings', () => {
    expect(evaluateMarker('python_version < "3.9"', env('3.8'))).toBe(true);
    expect(evaluateMarker('python_version < "3.9"', env('3.12'))).toBe(false);
    // A string comparison would say "3.10" < "3.9".
    expect(evaluateMarker('python_version >= "3.9"', env('3.10'))).toBe(true);
    expect(evaluateMarker('python_full_version >= "3.8.1"', env('3.8'))).toBe(false);
    expect(evaluateMarker('python_full_version >= "3.8.1"', env('3.8.2'))).toBe(true);
    expect(evaluateMarker('python_version == "3.12"', env('3.12.4'))).toBe(true);
    expect(evaluateMarker('python_version ~= "3.8"', env('3.11'))).toBe(true);
    expect(evaluateMarker('"3.9" > python_version', env('3.8'))).toBe(true);
  });

  it('maps the os and arch to sys_platform, platform_system, os_name and platform_machine per OS', () => {
    expect(evaluateMarker('sys_platform == "win32"', env(null, 'windows'))).toBe(true);
    expect(evaluateMarker('platform_system == "Windows" and os_name == "nt"', env(null, 'win32'))).toBe(true);
    expect(evaluateMarker('platform_system == "Linux"', env(null, 'linux'))).toBe(true);
    expect(evaluateMarker('sys_platform == "darwin"', env(null, 'macos'))).toBe(true);
    expect(evaluateMarker('os_name == "posix"', env(null, 'darwin'))).toBe(true);
    expect(evaluateMarker('platform_machine == "AMD64"', env(null, 'win32', 'x64'))).toBe(true);
    expect(evaluateMarker('platform_machine == "x86_64"', env(null, 'linux', 'x86_64'))).toBe(true);
    expect(evaluateMarker('platform_machine == "aarch64"', env(null, 'linux', 'arm64'))).toBe(true);
    expect(evaluateMarker('platform_machine == "arm64"', env(null, 'darwin', 'arm64'))).toBe(true);
    expect(evaluateMarker('"linux" in sys_platform', env(null, 'linux'))).toBe(true);
    expect(evaluateMarker('sys_platform not in "win32 cygwin"', env(null, 'linux'))).toBe(true);
    expect(evaluateMarker('implementation_name == "cpython"', env('3.11'))).toBe(true);
  });

  it('is unknown (null) when the environment does not say, with Kleene and/or', () => {
    expect(evaluateMarker('sys_platform == "win32"', env('3.8'))).toBeNull();
    expect(evaluateMarker('sys_platform == "win32" and python_version < "3"', env('3.8'))).toBe(false);
    expect(evaluateMarker('sys_platform == "win32" or python_version >= "3"', env('3.8'))).toBe(true);
    expect(evaluateMarker('platform_release >= "5"', env('3.8', 'linux'))).toBeNull();
  });

  it('matches extras by normalized name, with parentheses and precedence (and binds tighter than or)', () => {
    expect(evaluateMarker('extra == "socks"', env(null))).toBe(false);
    expect(evaluateMarker("extra == 'Socks'", env(null, null, null, ['socks']))).toBe(true);
    expect(evaluateMarker('extra == "dev_tools"', env(null, null, null, ['dev-tools']))).toBe(true);
    expect(evaluateMarker('extra != "socks"', env(null))).toBe(true);
    expect(evaluateMarker('python_version < "3.9" and extra == "test" or extra == "docs"', env('3.12', null, null, ['docs']))).toBe(true);
    expect(evaluateMarker('python_version < "3.9" and (extra == "test" or extra == "docs")', env('3.12', null, null, ['docs']))).toBe(false);
    expect(evaluateMarker('(sys_platform == "win32" or sys_platform == "darwin") and python_version >= "3.10"', env('3.12', 'darwin'))).toBe(true);
  });

  it('rejects what it cannot read', () => {
    expect(() => evaluateMarker('python_version <', env('3.8'))).toThrow(/cannot read the marker/);
    expect(() => evaluateMarker('bogus_var == "1"', env('3.8'))).toThrow(/unknown variable/);
    expect(() => evaluateMarker('(python_version < "3"', env('3.8'))).toThrow(/closing parenthesis/);
  });

  it('checks Requires-Python', () => {
    expect(pythonSatisfies('>=3.10', '3.8')).toBe(false);
    expect(pythonSatisfies('>=3.8,!=3.9.*', '3.9.1')).toBe(false);
    expect(pythonSatisfies('>=3.8', '3.12')).toBe(true);
    expect(pythonSatisfies(undefined, '3.12')).toBeNull();
    expect(pythonSatisfies('>=3.8', null)).toBeNull();
  });
});

describe('Cargo targets', () => {
  const on = (os: string | null, arch: string | null = null) => ({ os, arch });

  it('evaluates cfg names, key-value pairs, any/all/not', () => {
    expect(evaluateCargoTarget('cfg(windows)', on('win32'))).toBe(true);
    expect(evaluateCargoTarget('cfg(windows)', on('linux'))).toBe(false);
    expect(evaluateCargoTarget('cfg(unix)', on('darwin'))).toBe(true);
    expect(evaluateCargoTarget('cfg(target_os = "linux")', on('linux'))).toBe(true);
    expect(evaluateCargoTarget('cfg(target_os = "macos")', on('darwin'))).toBe(true);
    expect(evaluateCargoTarget('cfg(not(target_os = "windows"))', on('linux'))).toBe(true);
    expect(evaluateCargoTarget('cfg(any(target_os = "macos", target_os = "ios"))', on('win32'))).toBe(false);
    expect(evaluateCargoTarget('cfg(all(unix, target_arch = "x86_64"))', on('linux', 'x64'))).toBe(true);
    expect(evaluateCargoTarget('cfg(all(unix, target_arch = "x86_64"))', on('linux', 'arm64'))).toBe(false);
    expect(evaluateCargoTarget('cfg(target_pointer_width = "64")', on(null, 'arm64'))).toBe(true);
    expect(evaluateCargoTarget('cfg(all(windows, target_env = "msvc"))', on('win32'))).toBe(true);
  });

  it('is unknown without the part of the environment it needs; custom cfgs are false', () => {
    expect(evaluateCargoTarget('cfg(windows)', on(null, 'x64'))).toBeNull();
    expect(evaluateCargoTarget('cfg(all(unix, target_arch = "x86_64"))', on('win32'))).toBe(false);
    expect(evaluateCargoTarget('cfg(tokio_unstable)', on('linux'))).toBe(false);
    expect(evaluateCargoTarget('cfg(any(tokio_unstable, windows))', on(null))).toBeNull();
  });

  it('matches target triples against os and arch', () => {
    expect(evaluateCargoTarget('x86_64-pc-windows-msvc', on('win32', 'x64'))).toBe(true);
    expect(evaluateCargoTarget('x86_64-pc-windows-msvc', on('linux', 'x64'))).toBe(false);
    expect(evaluateCargoTarget('aarch64-apple-darwin', on('darwin', 'arm64'))).toBe(true);
    expect(evaluateCargoTarget('i686-unknown-linux-gnu', on('linux', 'ia32'))).toBe(true);
    expect(evaluateCargoTarget('x86_64-unknown-linux-gnu', on('linux'))).toBeNull();
  });

  it('rejects malformed cfg expressions', () => {
    expect(() => evaluateCargoTarget('cfg(all(unix', on('linux'))).toThrow(/Cargo target/);
    expect(() => evaluateCargoTarget('cfg(not(unix, windows))', on('linux'))).toThrow(/not\(\) takes one/);
  });

  it('follows features to the optional dependencies and dependency features they enable', () => {
    const map = { default: ['std'], std: ['serde?/std'], serde: ['dep:serde', 'widget_core/serde'], full: ['serde', 'tokio'], fast: ['simd/avx'] };
    const optional = new Set(['serde', 'tokio', 'simd']);
    const base = cargoFeatureClosure(map, ['default'], optional);
    expect([...base.features].sort()).toEqual(['default', 'std']);
    expect(base.enabledDependencies.size).toBe(0);
    // `serde?/std` is weak: serde stays off.
    expect(base.dependencyFeatures.get('serde')).toBeUndefined();
    const full = cargoFeatureClosure(map, ['default', 'full'], optional);
    // serde through its own feature (`dep:serde`), tokio through its implicit feature, named by full.
    expect(Object.fromEntries(full.enabledDependencies)).toEqual({ serde: 'serde', tokio: 'full' });
    expect([...full.dependencyFeatures.get('serde')!]).toEqual(['std']);
    expect([...full.dependencyFeatures.get('widget_core')!]).toEqual(['serde']);
    // `simd/avx` enables the optional dependency simd too.
    expect(cargoFeatureClosure(map, ['fast'], optional).enabledDependencies.get('simd')).toBe('fast');
  });
});

describe('NuGet target frameworks', () => {
  it('reads short and long framework names', () => {
    expect(parseTargetFramework('net472')).toEqual({ family: 'netframework', version: [4, 7, 2], platform: null });
    expect(parseTargetFramework('.NETFramework4.5')).toEqual({ family: 'netframework', version: [4, 5], platform: null });
    expect(parseTargetFramework('.NETFramework4.0-Client')).toEqual({ family: 'netframework', version: [4, 0], platform: null });
    expect(parseTargetFramework('net8.0')).toEqual({ family: 'netcoreapp', version: [8, 0], platform: null });
    expect(parseTargetFramework('net6.0-windows10.0.19041')).toEqual({ family: 'netcoreapp', version: [6, 0], platform: 'windows' });
    expect(parseTargetFramework('.NETStandard2.0')).toEqual({ family: 'netstandard', version: [2, 0], platform: null });
    expect(parseTargetFramework('netcoreapp3.1')).toEqual({ family: 'netcoreapp', version: [3, 1], platform: null });
    expect(parseTargetFramework('MonoAndroid4.4')?.family).toBe('monoandroid');
  });

  it('knows which groups a project can use', () => {
    const fw = (value: string) => parseTargetFramework(value)!;
    expect(isFrameworkCompatible(fw('net8.0'), fw('netstandard2.1'))).toBe(true);
    expect(isFrameworkCompatible(fw('net8.0'), fw('net6.0'))).toBe(true);
    expect(isFrameworkCompatible(fw('net6.0'), fw('net8.0'))).toBe(false);
    expect(isFrameworkCompatible(fw('net8.0'), fw('net6.0-windows'))).toBe(false);
    expect(isFrameworkCompatible(fw('net472'), fw('netstandard2.0'))).toBe(true);
    expect(isFrameworkCompatible(fw('net452'), fw('netstandard2.0'))).toBe(false);
    expect(isFrameworkCompatible(fw('net472'), fw('netstandard2.1'))).toBe(false);
    expect(isFrameworkCompatible(fw('net472'), fw('.NETFramework4.5'))).toBe(true);
    expect(isFrameworkCompatible(fw('net8.0'), fw('.NETFramework4.5'))).toBe(false);
  });

  it('picks the nearest group as NuGet does: own family first, then .NET Standard, then any', () => {
    const groups = ['.NETFramework4.5', '.NETStandard2.0', 'net6.0', null];
    expect(nearestFrameworkGroup('net8.0', groups)).toBe('net6.0');
    expect(nearestFrameworkGroup('net472', groups)).toBe('.NETFramework4.5');
    expect(nearestFrameworkGroup('netcoreapp3.1', groups)).toBe('.NETStandard2.0');
    expect(nearestFrameworkGroup('MonoAndroid10.0', groups)).toBeNull();
    expect(nearestFrameworkGroup('net8.0-windows', ['net6.0', 'net6.0-windows'])).toBe('net6.0-windows');
    expect(nearestFrameworkGroup('net40', ['.NETStandard2.0', 'net6.0'])).toBeUndefined();
  });
});

describe('npm os/cpu', () => {
  it('applies npm\'s rules, negations included', () => {
    expect(npmPlatformAllows(['darwin'], [], { os: 'darwin', arch: null })).toBe(true);
    expect(npmPlatformAllows(['darwin'], [], { os: 'linux', arch: null })).toBe(false);
    expect(npmPlatformAllows(['!win32'], [], { os: 'windows', arch: null })).toBe(false);
    expect(npmPlatformAllows(['!win32'], [], { os: 'linux', arch: null })).toBe(true);
    expect(npmPlatformAllows([], ['arm64'], { os: 'linux', arch: 'aarch64' })).toBe(true);
    expect(npmPlatformAllows(['linux'], ['x64'], { os: 'linux', arch: null })).toBeNull();
  });
});
