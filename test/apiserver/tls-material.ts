import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
  /** A client certificate the CA signed (CN kubernetes-admin, O system:masters), as kubeadm gives its admin. */
  clientCertPem: string;
  clientKeyPem: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

let cached: TlsMaterial | undefined;

/**
 * A throw-away CA, a serving certificate for 127.0.0.1/localhost and a client certificate, made
 * with the openssl CLI once per process (the certificates do not depend on the port).
 */
export function tlsMaterial(): TlsMaterial {
  if (!cached) {
    const dir = mkdtempSync(join(tmpdir(), 'test-apiserver-tls-'));
    try {
      cached = generateTlsMaterial(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return cached;
}

function generateTlsMaterial(dir: string): TlsMaterial {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650', '-subj', '/CN=test-apiserver-ca'], dir);
  writeFileSync(join(dir, 'server.ext'), [
    'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default.svc',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    'basicConstraints=critical,CA:FALSE',
  ].join('\n'));
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=kube-apiserver'], dir);
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', 'server.crt', '-days', '3650', '-extfile', 'server.ext'], dir);
  writeFileSync(join(dir, 'client.ext'), ['keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth', 'basicConstraints=critical,CA:FALSE'].join('\n'));
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/O=system:masters/CN=kubernetes-admin'], dir);
  openssl(['x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', 'client.crt', '-days', '3650', '-extfile', 'client.ext'], dir);
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  return { caPem: read('ca.crt'), certPem: read('server.crt'), keyPem: read('server.key'), clientCertPem: read('client.crt'), clientKeyPem: read('client.key') };
}

/** Stands in for the cluster CA in kube-root-ca.crt when the server speaks plain HTTP (its key is not kept). */
export const PLACEHOLDER_CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBgDCCASegAwIBAgIUX0KQSvjCTAtDFUVqjGNJbNhtcr0wCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKa3ViZXJuZXRlczAgFw0yNjExMjQyMzAyMDlaGA8yMTI2MTAz
MTIzMDIwOVowFTETMBEGA1UEAwwKa3ViZXJuZXRlczBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABGLt/nOFTptQ/PeF7d/ihzGG4RJeNCWN1Q9KjtrkbsO+AmxGh807
5kOXZLRmM2OH/nw8CEPLsSjBWReDzeszl6CjUzBRMB0GA1UdDgQWBBQawSzXUN/c
p1vvy04VgqzwgWtm/jAfBgNVHSMEGDAWgBQawSzXUN/cp1vvy04VgqzwgWtm/jAP
BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIHC6agzlYtK88vHMotXk
gSHUy3vCgsY23EDoWV5uaFSLAiBcrVTVvq13Uxa52O8vjCwInboxYShtrjOQ1AFk
c+Yahw==
-----END CERTIFICATE-----
`;
