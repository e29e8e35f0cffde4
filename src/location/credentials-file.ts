import { BadInputError } from '../errors.js';

export interface S3Credentials {
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  AWS_SESSION_TOKEN?: string;
}

const iniKeys: Record<string, keyof S3Credentials> = {
  aws_access_key_id: 'AWS_ACCESS_KEY_ID',
  aws_secret_access_key: 'AWS_SECRET_ACCESS_KEY',
  aws_session_token: 'AWS_SESSION_TOKEN',
};

/**
 * `--credentials-file`: an AWS shared credentials file (`[default]` or its only profile, or
 * `profile`) or a KEY=VALUE env file with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and
 * optionally AWS_SESSION_TOKEN). Errors name the file, line numbers and key names only:
 * never a value, nor the text of a line, which could be a secret.
 */
export function parseCredentialsFile(text: string, file: string, profile?: string): S3Credentials {
  const fail = (why: string) => new BadInputError(`--credentials-file ${file}: ${why}`);
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  const top = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[\s*(?:profile\s+)?([^\]]+?)\s*\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw fail(`line ${i + 1} is not KEY=VALUE`);
    const key = line.slice(0, eq).trim().replace(/^export\s+/, '');
    const value = unquote(line.slice(eq + 1).trim());
    (current ?? top).set(key, value);
  }
  let values: Map<string, string>;
  if (sections.size > 0) {
    const name = profile ?? (sections.has('default') ? 'default' : sections.size === 1 ? [...sections.keys()][0]! : undefined);
    if (name === undefined) throw fail(`it has several profiles and none is [default]: name one with --credentials-profile (${[...sections.keys()].join(', ')})`);
    const found = sections.get(name);
    if (!found) throw fail(`it has no profile [${name}] (profiles: ${[...sections.keys()].join(', ')})`);
    values = new Map([...found].map(([k, v]) => [iniKeys[k.toLowerCase()] ?? k, v]));
  } else {
    if (profile !== undefined) throw fail('--credentials-profile needs a credentials file with [profile] sections');
    values = top;
  }
  const id = values.get('AWS_ACCESS_KEY_ID');
  const secret = values.get('AWS_SECRET_ACCESS_KEY');
  if (!id) throw fail('AWS_ACCESS_KEY_ID (aws_access_key_id) is missing or empty');
  if (!secret) throw fail('AWS_SECRET_ACCESS_KEY (aws_secret_access_key) is missing or empty');
  const token = values.get('AWS_SESSION_TOKEN');
  return { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: secret, ...(token ? { AWS_SESSION_TOKEN: token } : {}) };
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) return value.slice(1, -1);
  return value;
}
