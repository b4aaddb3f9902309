/**
 * A cluster's certificate authority, as EKS hands it out in `certificateAuthority.data`: a
 * self-signed X.509 CA certificate (subject CN=kubernetes, as EKS's own), PEM, base64-encoded
 * once more. Built with node:crypto and a few lines of DER, since Node cannot issue
 * certificates itself. Nothing is signed with the key afterwards: the local Kubernetes API is
 * plain HTTP, so the CA only has to be well formed for whoever parses the kubeconfig.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const der = (tag: number, ...content: Buffer[]) => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const sequence = (...items: Buffer[]) => der(0x30, ...items);
const set = (...items: Buffer[]) => der(0x31, ...items);

function oid(text: string): Buffer {
  const [first = 0, second = 0, ...rest] = text.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = arc >> 7; value > 0; value >>= 7) chunk.unshift(0x80 | (value & 0x7f));
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

const utf8 = (text: string) => der(0x0c, Buffer.from(text, 'utf8'));
/** GeneralizedTime, valid for any year */
const time = (date: Date) =>
  der(0x18, Buffer.from(`${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`, 'ascii'));

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));

/** A fresh CA certificate for `clusterName`, valid from `now` for ten years, as PEM. */
export function selfSignedCaPem(clusterName: string, now: Date): string {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const name = sequence(set(sequence(oid('2.5.4.3'), utf8('kubernetes'))));
  // a positive serial: 16 bytes of a hash, top bit cleared
  const serial = createHash('sha256').update(`${clusterName}/${now.getTime()}`).digest().subarray(0, 16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const until = new Date(now.getTime() + 10 * 365 * 24 * 3600 * 1000);
  const extensions = der(
    0xa3,
    sequence(
      // basicConstraints: critical, CA:TRUE
      sequence(
        oid('2.5.29.19'),
        der(0x01, Buffer.from([0xff])),
        der(0x04, sequence(der(0x01, Buffer.from([0xff])))),
      ),
      // keyUsage: critical, digitalSignature + keyCertSign + cRLSign
      sequence(
        oid('2.5.29.15'),
        der(0x01, Buffer.from([0xff])),
        der(0x04, der(0x03, Buffer.from([0x01, 0x86]))),
      ),
    ),
  );
  const tbs = sequence(
    der(0xa0, der(0x02, Buffer.from([2]))), // v3
    der(0x02, serial),
    ECDSA_WITH_SHA256,
    name,
    sequence(time(now), time(until)),
    name,
    spki,
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = sequence(tbs, ECDSA_WITH_SHA256, der(0x03, Buffer.from([0]), signature));
  const lines = certificate.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** `certificateAuthority.data`: the PEM, base64 (what a kubeconfig's certificate-authority-data holds) */
export function certificateAuthorityData(clusterName: string, now: Date): string {
  return Buffer.from(selfSignedCaPem(clusterName, now), 'utf8').toString('base64');
}

/** An endpoint of EKS's shape: https://<32 hex>.gr7.<region>.eks.amazonaws.com */
export function eksEndpointUrl(account: string, region: string, clusterName: string): string {
  const id = createHash('sha256').update(`${account}/${region}/${clusterName}`).digest('hex').slice(0, 32);
  return `https://${id.toUpperCase()}.gr7.${region}.eks.amazonaws.com`;
}
