import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { currentMasterKey, masterKey } from './master-keys';

// Layout of a sealed value: version (uint16 BE) | iv (12) | tag (16) | ciphertext.
const IV_BYTES = 12;
const TAG_BYTES = 16;

function encryptionKey(key: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'latchkey/secret-box/v1', 32));
}

/**
 * seal encrypts with AES-256-GCM under the current master key. `context` (for example
 * "oem_credential:<id>") is bound as additional data, so a ciphertext copied to another row
 * does not decrypt. Returns the sealed bytes and the key version used.
 */
export function seal(plaintext: string | Buffer, context: string): { sealed: Buffer<ArrayBuffer>; keyVersion: number } {
  const { version, key } = currentMasterKey();
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey(key), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const header = Buffer.alloc(2);
  header.writeUInt16BE(version);
  return { sealed: Buffer.concat([header, iv, cipher.getAuthTag(), ciphertext]), keyVersion: version };
}

/** open decrypts a sealed value; it throws if the value, its context or its key is wrong. */
export function open(sealed: Uint8Array, context: string): Buffer {
  const buf = Buffer.from(sealed);
  if (buf.length < 2 + IV_BYTES + TAG_BYTES) throw new Error('sealed value is truncated');
  const { key } = masterKey(buf.readUInt16BE(0));
  const iv = buf.subarray(2, 2 + IV_BYTES);
  const tag = buf.subarray(2 + IV_BYTES, 2 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', encryptionKey(key), iv);
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(buf.subarray(2 + IV_BYTES + TAG_BYTES)), decipher.final()]);
}

/** sealedKeyVersion tells which master key a sealed value needs (for re-encryption jobs). */
export function sealedKeyVersion(sealed: Uint8Array): number {
  return Buffer.from(sealed).readUInt16BE(0);
}
