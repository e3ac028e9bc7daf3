import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Panel passwords: scrypt (a memory-hard KDF, in Node's own crypto, no native
 * add-on to ship) stored in PHC string format so parameters can be raised later
 * and old hashes still verify: $scrypt$ln=15,r=8,p=1$<salt b64>$<hash b64>.
 */
const LN = 15;
const R = 8;
const P = 1;
const KEYLEN = 32;

function scrypt(password: string, salt: Buffer, ln: number, r: number, p: number): Promise<Buffer> {
  const opts: ScryptOptions = { N: 2 ** ln, r, p, maxmem: 256 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize("NFKC"), salt, KEYLEN, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, LN, R, P);
  return `$scrypt$ln=${LN},r=${R},p=${P}$${salt.toString("base64")}$${key.toString("base64")}`;
}

const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = PHC.exec(stored);
  if (!m) return false;
  const [, ln, r, p, salt, hash] = m as unknown as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, "base64");
  const actual = await scrypt(password, Buffer.from(salt, "base64"), Number(ln), Number(r), Number(p));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Spends the same time as a real check, so an unknown account is not revealed by timing. */
const dummy = hashPassword("berth-timing-equaliser");
export async function burnPasswordCheck(password: string): Promise<void> {
  await verifyPassword(password, await dummy);
}

export function needsRehash(stored: string): boolean {
  const m = PHC.exec(stored);
  return !m || Number(m[1]) < LN || Number(m[2]) < R;
}
