/**
 * One artifact: a preview by type (Markdown and HTML sandboxed, Metrics as a
 * table, ClassificationMetrics as a confusion matrix and ROC curve, metadata of
 * the rest) and a download. Loaded lazily: the chart and Markdown libraries stay
 * out of the first page load.
 */
import { useQuery } from '@tanstack/react-query';
import { marked } from 'marked';
import { useState } from 'react';
import { fetchArtifact } from '../api/client';
import type { ListedArtifact } from '../api/wire';
import { RocCurve } from '../charts/RocCurve';
import { ErrorMessage } from '../components/ErrorMessage';
import { JsonValue, ValueTable } from '../components/JsonValue';
import { Loading } from '../components/Loading';
import { classificationOf } from './classification';
import { ConfusionMatrix } from './ConfusionMatrix';
import { SandboxedDocument } from './SandboxedDocument';

/** Documents larger than this are offered for download only. */
const maxPreviewBytes = 2 * 1024 * 1024;

function DocumentPreview({ artifact }: { artifact: ListedArtifact }) {
  const query = useQuery({
    queryKey: ['artifact-text', artifact.download],
    queryFn: async () => {
      const { blob } = await fetchArtifact(artifact.download);
      if (blob.size > maxPreviewBytes) return undefined;
      const text = await blob.text();
      return artifact.type === 'markdown' ? marked.parse(text, { async: false, gfm: true }) : text;
    },
    staleTime: Infinity,
  });
  if (query.isPending) return <Loading what="the preview" />;
  if (query.isError) return <ErrorMessage error={query.error} what="the artifact" />;
  if (query.data === undefined) return <p className="muted">Too large to preview; download it.</p>;
  return <SandboxedDocument html={query.data} title={`${artifact.output} (${artifact.type})`} />;
}

function MetricsTable({ metadata }: { metadata: ListedArtifact['metadata'] }) {
  const entries = Object.entries(metadata);
  return (
    <table className="values metrics">
      <caption>Metrics</caption>
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <th scope="row">
              <JsonValue value={name} />
            </th>
            <td className="number">{typeof value === 'number' ? value.toPrecision(6) : <JsonValue value={value} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ClassificationPreview({ metadata }: { metadata: ListedArtifact['metadata'] }) {
  const { confusionMatrix, roc } = classificationOf(metadata);
  if (!confusionMatrix && !roc) return <ValueTable caption="Metadata" values={metadata} />;
  return (
    <div className="classification">
      {confusionMatrix && <ConfusionMatrix data={confusionMatrix} />}
      {roc && <RocCurve fpr={roc.fpr} tpr={roc.tpr} />}
    </div>
  );
}

function Download({ artifact }: { artifact: ListedArtifact }) {
  const [problem, setProblem] = useState<unknown>();
  const download = async () => {
    try {
      const { blob } = await fetchArtifact(artifact.download);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `${artifact.taskId.replaceAll('/', '_')}-${artifact.output}`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setProblem(undefined);
    } catch (error) {
      setProblem(error);
    }
  };
  return (
    <>
      <button type="button" onClick={() => void download()}>
        Download
      </button>
      {problem !== undefined && <ErrorMessage error={problem} what="the download" />}
    </>
  );
}

export default function ArtifactPreview({ artifact }: { artifact: ListedArtifact }) {
  return (
    <div className="artifact-preview">
      <p className="artifact-facts">
        <strong>{artifact.output}</strong> <span className="muted">{artifact.type}</span>{' '}
        {artifact.digest && <code title={artifact.digest}>{artifact.digest.slice(0, 19)}…</code>}{' '}
        <Download artifact={artifact} />
      </p>
      {artifact.type === 'markdown' || artifact.type === 'html' ? (
        <DocumentPreview artifact={artifact} />
      ) : artifact.type === 'metrics' ? (
        <MetricsTable metadata={artifact.metadata} />
      ) : artifact.type === 'classificationMetrics' ? (
        <ClassificationPreview metadata={artifact.metadata} />
      ) : (
        <ValueTable caption="Metadata" values={artifact.metadata} />
      )}
    </div>
  );
}
