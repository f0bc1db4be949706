import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Files of the test cluster's PKI; all leaf certificates are signed by `ca`. */
export interface Pki {
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  /** The API server's client identity towards the node agent's log server. */
  kubeletClientCert: string;
  kubeletClientKey: string;
  /** The node agent's HTTPS serving certificate (the API server verifies it with `ca`). */
  nodeAgentCert: string;
  nodeAgentKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

/**
 * Creates the PKI once per state dir with openssl and reuses it afterwards, so a restarted API
 * server keeps accepting tokens and kubeconfigs issued before.
 */
export function ensurePki(dir: string): Pki {
  mkdirSync(dir, { recursive: true });
  const file = (name: string) => join(dir, name);
  const pki: Pki = {
    caCert: file('ca.crt'),
    caKey: file('ca.key'),
    apiserverCert: file('apiserver.crt'),
    apiserverKey: file('apiserver.key'),
    kubeletClientCert: file('apiserver-kubelet-client.crt'),
    kubeletClientKey: file('apiserver-kubelet-client.key'),
    nodeAgentCert: file('node-agent.crt'),
    nodeAgentKey: file('node-agent.key'),
    serviceAccountKey: file('sa.key'),
    serviceAccountPub: file('sa.pub'),
  };
  if (!existsSync(pki.caCert)) {
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      pki.caKey,
      '-out',
      pki.caCert,
      '-days',
      '3650',
      '-subj',
      '/CN=kiln-test-ca',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
    ]);
  }
  // 10.96.0.1 and the kubernetes.default names are what in-cluster clients would dial.
  const apiserverNames =
    'IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc';
  issue(pki, pki.apiserverCert, pki.apiserverKey, '/CN=kube-apiserver', 'serverAuth', apiserverNames);
  issue(
    pki,
    pki.kubeletClientCert,
    pki.kubeletClientKey,
    '/O=system:masters/CN=kube-apiserver-kubelet-client',
    'clientAuth',
  );
  issue(
    pki,
    pki.nodeAgentCert,
    pki.nodeAgentKey,
    '/CN=system:node:kiln-test-node',
    'serverAuth',
    'IP:127.0.0.1,DNS:localhost',
  );
  if (!existsSync(pki.serviceAccountPub)) {
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', pki.serviceAccountKey]);
    openssl(['pkey', '-in', pki.serviceAccountKey, '-pubout', '-out', pki.serviceAccountPub]);
  }
  return pki;
}

function issue(pki: Pki, cert: string, key: string, subject: string, usage: string, names?: string): void {
  if (existsSync(cert)) return;
  const csr = `${cert}.csr`;
  const ext = `${cert}.ext`;
  openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', subject]);
  writeFileSync(
    ext,
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      `extendedKeyUsage=${usage}`,
      ...(names ? [`subjectAltName=${names}`] : []),
    ].join('\n'),
  );
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    pki.caCert,
    '-CAkey',
    pki.caKey,
    '-set_serial',
    `0x${BigInt(Date.now()).toString(16)}${Math.floor(Math.random() * 1e6).toString(16)}`,
    '-days',
    '3650',
    '-extfile',
    ext,
    '-out',
    cert,
  ]);
}

function openssl(args: string[]): void {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`openssl ${args[0]} failed while creating the test cluster PKI: ${stderr || String(error)}`);
  }
}
