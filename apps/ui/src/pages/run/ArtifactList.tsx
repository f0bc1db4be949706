/** Artifacts with a preview each, opened one at a time (the preview code loads on first use). */
import { lazy, Suspense, useState } from 'react';
import type { ListedArtifact } from '../../api/wire';
import { Loading } from '../../components/Loading';

const ArtifactPreview = lazy(() => import('../../artifacts/ArtifactPreview'));

const keyOf = (a: ListedArtifact) => `${a.taskId}[${a.iteration?.join(',') ?? ''}].${a.output}`;

export function ArtifactList({ artifacts, showTask }: { artifacts: readonly ListedArtifact[]; showTask: boolean }) {
  const [open, setOpen] = useState<string>();
  if (!artifacts.length) return <p className="muted">No artifacts.</p>;
  return (
    <ul className="artifacts">
      {artifacts.map((artifact) => {
        const key = keyOf(artifact);
        const isOpen = open === key;
        return (
          <li key={key}>
            <button
              type="button"
              className="link-button"
              aria-expanded={isOpen}
              onClick={() => setOpen(isOpen ? undefined : key)}
            >
              {showTask ? `${artifact.taskId}${artifact.iteration ? ` [${artifact.iteration.join(',')}]` : ''} › ` : ''}
              {artifact.output} <span className="muted">({artifact.type})</span>
            </button>
            {isOpen && (
              <Suspense fallback={<Loading what="the preview" />}>
                <ArtifactPreview artifact={artifact} />
              </Suspense>
            )}
          </li>
        );
      })}
    </ul>
  );
}
