import { createHash, randomBytes } from 'node:crypto';

/**
 * The PDF standard security handler, revision 2 (RC4, 40-bit key; PDF 32000-1 §7.6.3),
 * just enough to write test documents that real readers treat as encrypted. RC4 is written
 * out here because OpenSSL 3 hides it behind the legacy provider.
 */

const PASSWORD_PAD = Uint8Array.from([
  0x28, 0xbf, 0x4e, 0x5e, 0x4e, 0x75, 0x8a, 0x41, 0x64, 0x00, 0x4e, 0x56, 0xff, 0xfa, 0x01, 0x08, 0x2e, 0x2e, 0x00,
  0xb6, 0xd0, 0x68, 0x3e, 0x80, 0x2f, 0x0c, 0xa9, 0xfe, 0x64, 0x53, 0x69, 0x7a,
]);

/** Permissions word: all operations allowed (bits 3–6 and 9–12 set, reserved high bits set). */
const PERMISSIONS = -4;

export function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  let j = 0;
  for (let i = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = new Uint8Array(data.length);
  let a = 0;
  let b = 0;
  for (let k = 0; k < data.length; k++) {
    a = (a + 1) & 255;
    b = (b + s[a]!) & 255;
    [s[a], s[b]] = [s[b]!, s[a]!];
    out[k] = data[k]! ^ s[(s[a]! + s[b]!) & 255]!;
  }
  return out;
}

const md5 = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

function padPassword(password: string): Uint8Array {
  const out = new Uint8Array(32);
  const pw = Buffer.from(password, 'latin1').subarray(0, 32);
  out.set(pw);
  out.set(PASSWORD_PAD.subarray(0, 32 - pw.length), pw.length);
  return out;
}

export interface PdfEncryption {
  /** Entries of the /Encrypt dictionary, already serialised. */
  dictionary: string;
  /** First element of the trailer /ID (the handler mixes it into the key). */
  fileId: Uint8Array;
  /** Encrypts one object's string or stream bytes. */
  encrypt(objectNumber: number, generation: number, data: Uint8Array): Uint8Array;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/**
 * Builds the handler for a user password (needed to open; `''` means anyone may open, as in
 * "permissions-only" PDFs) and an owner password.
 */
export function standardSecurityHandler(userPassword: string, ownerPassword: string): PdfEncryption {
  const fileId = new Uint8Array(randomBytes(16));
  const owner = rc4(md5(padPassword(ownerPassword || userPassword)).subarray(0, 5), padPassword(userPassword));
  const p = new Uint8Array(4);
  new DataView(p.buffer).setInt32(0, PERMISSIONS, true);
  const fileKey = md5(padPassword(userPassword), owner, p, fileId).subarray(0, 5);
  const user = rc4(fileKey, PASSWORD_PAD);
  return {
    dictionary: `<< /Filter /Standard /V 1 /R 2 /O <${hex(owner)}> /U <${hex(user)}> /P ${PERMISSIONS} >>`,
    fileId,
    encrypt(objectNumber, generation, data) {
      const salt = Uint8Array.from([
        objectNumber & 255,
        (objectNumber >> 8) & 255,
        (objectNumber >> 16) & 255,
        generation & 255,
        (generation >> 8) & 255,
      ]);
      return rc4(md5(fileKey, salt).subarray(0, fileKey.length + 5), data);
    },
  };
}
