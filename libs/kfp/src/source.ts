/**
 * KFP YAML as the translator reads it: the parsed documents, and (when it got
 * text) where each value sits, so a problem can name its line. KFP writes a
 * pipeline as one document, or two when the pipeline uses kfp-kubernetes (the
 * second holds the Kubernetes platform spec).
 */
import { isNode, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { KfpTranslationError, type KfpProblem } from './errors';

/** A path into a document: keys and list indices. */
export type YamlPath = readonly (string | number)[];

/** The documents to translate, and how to find a value's line. */
export interface KfpSource {
  readonly documents: readonly unknown[];
  /** The file name, for messages. */
  readonly name?: string;
  /** 1-based line and column of the value at `path` in document `document` (1-based), when known. */
  locate(document: number, path: YamlPath): { line: number; column: number } | undefined;
}

/** What the public functions accept: YAML (or JSON) text, or already parsed documents. */
export type KfpInput = string | readonly unknown[];

/**
 * Parses KFP YAML text (every document), or wraps already parsed documents.
 * Throws a {@link KfpTranslationError} for text that is not YAML.
 *
 * @example
 * ```ts
 * const source = readKfpSource(text, 'pipeline.yaml');
 * source.documents.length; // 2 for a pipeline with a Kubernetes platform spec
 * ```
 */
export function readKfpSource(input: KfpInput, name?: string): KfpSource {
  if (typeof input !== 'string')
    return { documents: input, ...(name !== undefined && { name }), locate: () => undefined };
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(input, { lineCounter, uniqueKeys: true, prettyErrors: true });
  if (!Array.isArray(docs)) return { documents: [], ...(name !== undefined && { name }), locate: () => undefined };
  const problems: KfpProblem[] = [];
  docs.forEach((doc, i) => {
    for (const error of doc.errors) {
      const pos = error.linePos?.[0];
      problems.push({
        path: '$',
        feature: 'YAML',
        message: `not valid YAML: ${error.message.split('\n')[0] ?? error.message}`,
        document: i + 1,
        ...(pos && { line: pos.line, column: pos.col }),
      });
    }
  });
  if (problems.length > 0) throw new KfpTranslationError(problems, name);
  const nonEmpty = docs.filter((doc) => doc.contents !== null);
  return {
    documents: nonEmpty.map((doc) => toPlain(doc, name)),
    ...(name !== undefined && { name }),
    locate: (document, path) => locateIn(nonEmpty[document - 1], lineCounter, path),
  };
}

function toPlain(doc: Document, name?: string): unknown {
  try {
    // KFP never writes aliases; refusing them keeps a small file from expanding into a huge one.
    return doc.toJS({ maxAliasCount: 0 });
  } catch (error) {
    throw new KfpTranslationError(
      [{ path: '$', feature: 'YAML', message: `not usable YAML: ${(error as Error).message}`, document: 1 }],
      name,
    );
  }
}

function locateIn(
  doc: Document | undefined,
  lines: LineCounter,
  path: YamlPath,
): { line: number; column: number } | undefined {
  if (!doc) return undefined;
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const pos = lines.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return undefined;
}

/** `root.dag.tasks.train.componentRef`, `...keyToEnv[0]`, `labels["app.kubernetes.io/name"]`. */
export function formatPath(path: YamlPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text || '$';
}
