/**
 * X.509 certificates: CAs, leaves signed by them, and reading a certificate back to check it. The only module that
 * loads @peculiar/x509 (and the reflect-metadata polyfill it needs), and only the `pki` commands import it.
 *
 * @example
 * ```ts
 * const ca = await issueCa({ cn: "kubernetes", keyType: "ecdsa-p256", days: 3650 });
 * const leaf = await issueLeaf({ cn: "kube-apiserver", usage: "server", dns: ["kubernetes"] }, await prepareIssuer(ca), {
 *   keyType: "ecdsa-p256",
 *   days: 365,
 * });
 * ```
 * @module
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { algorithmOf, generateKeyPair, importPrivateKey, type KeyType, privateKeyPem } from "./keys.ts";
import { serialNumber } from "./random.ts";

export interface CertSpec {
  /** Subject common name. */
  cn: string;
  /** Subject organizations (Kubernetes groups). */
  organizations?: string[];
  dns?: string[];
  ips?: string[];
  /** server: serverAuth; client: clientAuth; peer: both (etcd members dial each other as clients). */
  usage: "server" | "client" | "peer";
}

/** A certificate and its private key, both PEM. */
export interface KeyAndCert {
  cert: string;
  key: string;
}

export interface IssueOptions {
  keyType: KeyType;
  days: number;
  /** The time the certificate starts from (a few minutes before, for clock skew); defaults to now. */
  now?: Date;
}

/** Certificates start this long before `now`, so a node whose clock runs a little behind accepts them. */
const SKEW_MS = 5 * 60 * 1000;

function validity(options: IssueOptions) {
  const now = options.now ?? new Date();
  return {
    notBefore: new Date(now.getTime() - SKEW_MS),
    notAfter: new Date(now.getTime() + options.days * 86_400_000),
  };
}

function distinguishedName(cn: string, organizations: readonly string[] = []): string {
  const escape = (value: string) => value.replace(/([,+"\\<>;=])/g, "\\$1");
  return [...organizations.map((o) => `O=${escape(o)}`), `CN=${escape(cn)}`].join(", ");
}

/** A self-signed CA. */
export async function issueCa(cn: string, options: IssueOptions): Promise<KeyAndCert> {
  const keys = await generateKeyPair(options.keyType);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: distinguishedName(cn),
    ...validity(options),
    signingAlgorithm: algorithmOf(options.keyType),
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString("pem") + "\n", key: await privateKeyPem(keys.privateKey) };
}

/** A CA ready to sign: its certificate parsed and its key imported once, for any number of leaves. */
export interface Issuer {
  cert: x509.X509Certificate;
  key: CryptoKey;
  type: KeyType;
  authorityKeyId: x509.AuthorityKeyIdentifierExtension;
}

export async function prepareIssuer(ca: KeyAndCert): Promise<Issuer> {
  const cert = new x509.X509Certificate(ca.cert);
  const { key, type } = await importPrivateKey(ca.key);
  return { cert, key, type, authorityKeyId: await x509.AuthorityKeyIdentifierExtension.create(cert) };
}

/** A leaf certificate for `spec`, signed by `issuer`, with a new key. */
export async function issueLeaf(spec: CertSpec, issuer: Issuer, options: IssueOptions): Promise<KeyAndCert> {
  const keys = await generateKeyPair(options.keyType);
  const usages = {
    server: [x509.ExtendedKeyUsage.serverAuth],
    client: [x509.ExtendedKeyUsage.clientAuth],
    peer: [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth],
  }[spec.usage];
  const names: x509.JsonGeneralName[] = [
    ...(spec.dns ?? []).map((value) => ({ type: "dns" as const, value })),
    ...(spec.ips ?? []).map((value) => ({ type: "ip" as const, value })),
  ];
  const keyUsage = options.keyType === "ed25519"
    ? x509.KeyUsageFlags.digitalSignature
    : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: distinguishedName(spec.cn, spec.organizations),
    issuer: issuer.cert.subject,
    ...validity(options),
    signingAlgorithm: algorithmOf(issuer.type),
    publicKey: keys.publicKey,
    signingKey: issuer.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(keyUsage, true),
      new x509.ExtendedKeyUsageExtension(usages),
      ...(names.length ? [new x509.SubjectAlternativeNameExtension(names)] : []),
      issuer.authorityKeyId,
    ],
  });
  return { cert: cert.toString("pem") + "\n", key: await privateKeyPem(keys.privateKey) };
}

/** What a certificate says, for checks. */
export interface CertificateFacts {
  cn: string;
  organizations: string[];
  issuer: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
  dns: string[];
  ips: string[];
  isCa: boolean;
  serverAuth: boolean;
  clientAuth: boolean;
  /** The subject public key, SPKI DER. */
  publicKey: Uint8Array;
}

export function inspect(pem: string): CertificateFacts {
  const cert = new x509.X509Certificate(pem);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [];
  const names = san?.names.toJSON() ?? [];
  const subject = new x509.Name(cert.subject).toJSON();
  const field = (type: string) => subject.flatMap((rdn) => rdn[type] ?? []);
  return {
    cn: field("CN")[0] ?? "",
    organizations: field("O"),
    issuer: cert.issuer,
    subject: cert.subject,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    dns: names.filter((n) => n.type === "dns").map((n) => n.value),
    ips: names.filter((n) => n.type === "ip").map((n) => n.value),
    isCa: cert.getExtension(x509.BasicConstraintsExtension)?.ca ?? false,
    serverAuth: eku.includes(x509.ExtendedKeyUsage.serverAuth),
    clientAuth: eku.includes(x509.ExtendedKeyUsage.clientAuth),
    publicKey: new Uint8Array(cert.publicKey.rawData),
  };
}

/** Whether `pem` was signed by the CA certificate `caPem`. */
export async function signedBy(pem: string, caPem: string): Promise<boolean> {
  const cert = new x509.X509Certificate(pem);
  const ca = new x509.X509Certificate(caPem);
  if (cert.issuer !== ca.subject) return false;
  try {
    return await cert.verify({ publicKey: ca.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}
