// XML Schema validation of what we emit, with libxml2's xmllint (Debian package libxml2-utils).
// One document mixes many namespaces (a <jingle/> holds RTP descriptions, ICE transports, DTLS
// fingerprints, ...), so it is validated against schemas/xsd/jingle-all.xsd, a driver schema that
// imports the schema of every namespace: the XEP schemas' lax wildcards then validate each nested
// element whose namespace is known and skip the others.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const XMLLINT_PATH = 'xmllint';

/** The driver schema that imports every namespace's schema. */
export const JINGLE_ALL_XSD = fileURLToPath(new URL('../../schemas/xsd/jingle-all.xsd', import.meta.url));

export interface XmllintResult {
  /** True when xmllint reports the document valid (exit status 0). */
  ok: boolean;
  /** xmllint's diagnostics (stderr), with the temporary file name replaced by `input.xml`; '' when ok. */
  errors: string;
}

/**
 * Validates one XML document (e.g. a serialized <jingle/> element with its xmlns declared) against
 * the project's XSDs. `schema` defaults to jingle-all.xsd. Never touches the network (`--nonet`).
 * Rejects only when xmllint cannot be run at all; a document that is not well-formed or not valid
 * resolves with ok: false.
 */
export async function validateJingleXml(xml: string, schema: string = JINGLE_ALL_XSD): Promise<XmllintResult> {
  const dir = await mkdtemp(join(tmpdir(), 'jg-xmllint-'));
  const file = join(dir, 'input.xml');
  try {
    await writeFile(file, xml, 'utf8');
    const { code, stderr } = await run(XMLLINT_PATH, ['--noout', '--nonet', '--schema', schema, file]);
    const errors = stderr.split(file).join('input.xml').trim();
    if (code === 0) return { ok: true, errors: '' };
    return { ok: false, errors: errors || `xmllint exited with status ${code}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Validates several documents with ONE xmllint run (xmllint takes many files and reports each:
 * `<file> validates` / `<file> fails to validate`, or parser errors for a file that is not
 * well-formed), so a test of dozens of documents pays for one process and one schema compilation.
 * Results are in the order of `xmls`; each one's `errors` hold only the diagnostics about that
 * document, with its temporary file name replaced by `input-<index>.xml`.
 */
export async function validateJingleXmlBatch(xmls: readonly string[], schema: string = JINGLE_ALL_XSD): Promise<XmllintResult[]> {
  if (xmls.length === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), 'jg-xmllint-'));
  const files = xmls.map((_, i) => join(dir, `input-${i}.xml`));
  try {
    await Promise.all(xmls.map((xml, i) => writeFile(files[i] as string, xml, 'utf8')));
    const { code, stderr } = await run(XMLLINT_PATH, ['--noout', '--nonet', '--schema', schema, ...files]);
    const perFile: string[][] = files.map(() => []);
    const valid = files.map(() => false);
    let current = -1;
    for (const line of stderr.split('\n')) {
      // A diagnostic starts with `<file>:` or `<file> `; a line that does not (the quoted source
      // line and caret of a parser error) belongs to the file of the line before it.
      const owner = files.findIndex((f) => line.startsWith(`${f}:`) || line.startsWith(`${f} `));
      if (owner >= 0) current = owner;
      if (owner >= 0 && line === `${files[owner]} validates`) {
        valid[owner] = true;
        continue;
      }
      if (current >= 0 && line.trim() !== '') (perFile[current] as string[]).push(line);
    }
    // Exit status 0 means every file validated; anything else must be explained by some file.
    if (code !== 0 && valid.every(Boolean)) throw new Error(`xmllint exited with status ${code}: ${stderr.trim()}`);
    return files.map((f, i) => {
      if (valid[i]) return { ok: true, errors: '' };
      const errors = (perFile[i] as string[]).join('\n').split(f).join(`input-${i}.xml`).trim();
      return { ok: false, errors: errors || `xmllint said nothing about input-${i}.xml (status ${code})` };
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface RunResult {
  code: number;
  stderr: string;
}

function run(command: string, args: string[]): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    execFile(command, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error === null) {
        resolvePromise({ code: 0, stderr });
        return;
      }
      // A non-zero exit has a numeric code; a failure to start (ENOENT, ...) has a string code.
      const code = (error as NodeJS.ErrnoException & { code?: unknown }).code;
      if (typeof code === 'number') {
        resolvePromise({ code, stderr });
        return;
      }
      reject(new Error(`cannot run ${command}: ${error.message}`));
    });
  });
}
