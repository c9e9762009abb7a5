import { generateKeyPairSync } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey, signBytes, verifyBytes } from '../../src/export/signing.ts';
import { tmpHome } from '../helpers.ts';

describe('the signing key', () => {
  it('is generated once, private to its owner, and stable across loads', () => {
    const path = join(tmpHome(), 'keys', 'k.pem');
    const a = loadOrCreateSigningKey(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const b = loadOrCreateSigningKey(path);
    expect(b.fingerprint).toBe(a.fingerprint);
    const sig = signBytes(a, Buffer.from('manifest'));
    expect(sig).toHaveLength(64);
    expect(verifyBytes(b.publicPem, Buffer.from('manifest'), sig)).toBe(true);
    expect(verifyBytes(b.publicPem, Buffer.from('manifesT'), sig)).toBe(false);
  });

  it('a broken or non-Ed25519 key file gives one clear error', () => {
    const dir = tmpHome();
    writeFileSync(join(dir, 'bad.pem'), 'not a key');
    expect(() => loadOrCreateSigningKey(join(dir, 'bad.pem'))).toThrow(
      /^cannot read the signing key at .*bad\.pem/,
    );
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    writeFileSync(join(dir, 'rsa.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => loadOrCreateSigningKey(join(dir, 'rsa.pem'))).toThrow(/is not an Ed25519 key$/);
  });
});
