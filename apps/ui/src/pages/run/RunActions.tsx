/**
 * The run's actions, by the signed-in token's role (`GET /auth/whoami`):
 * Cancel while it is pending or runs, Retry once it failed or was cancelled, Re-run with
 * changed parameters. A viewer sees none of them; the API refuses them to a
 * viewer anyway. Cancel asks in the page (never a browser dialog).
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { usePipelineSpec } from '../../api/queries';
import {
  cancelRun,
  retryRun,
  runPermissions,
  useRunMutation,
  useWhoami,
  type RunPermissions,
} from '../../api/run-actions';
import type { RunResource } from '../../api/wire';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { ActionError } from './ActionError';
import { RerunForm, type RerunSource } from './RerunForm';

/** The stored version a run came from, when there is one; else its IR must be sent inline. */
function rerunSource(run: RunResource): RerunSource {
  const version = run.origin?.pipelineVersion;
  if (!version || !run.origin) return { inline: true };
  return { stored: { name: run.pipeline.name, version, digest: run.origin.pipelineDigest } };
}

function CancelAction({ run }: { run: RunResource }) {
  const [asking, setAsking] = useState(false);
  const cancel = useRunMutation(run.runId, cancelRun);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const askId = useId();
  useEffect(() => {
    if (asking) confirmButton.current?.focus();
  }, [asking]);
  if (cancel.isSuccess) return <span role="status">Cancellation requested: running steps are being stopped.</span>;
  return (
    <>
      {!asking ? (
        <button type="button" onClick={() => setAsking(true)}>
          Cancel run
        </button>
      ) : (
        <span className="confirm" role="group" aria-labelledby={askId}>
          <span id={askId}>Cancel this run? Running steps are stopped and exit handlers run.</span>
          <button
            ref={confirmButton}
            type="button"
            className="danger"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate(run.runId)}
          >
            {cancel.isPending ? 'Cancelling…' : 'Yes, cancel the run'}
          </button>
          <button type="button" disabled={cancel.isPending} onClick={() => setAsking(false)}>
            Keep it running
          </button>
        </span>
      )}
      {cancel.isError && <ActionError error={cancel.error} action="cancel the run" />}
    </>
  );
}

function RetryAction({ run }: { run: RunResource }) {
  const navigate = useNavigate();
  const retry = useRunMutation(run.runId, retryRun);
  return (
    <>
      <button
        type="button"
        disabled={retry.isPending}
        onClick={() =>
          retry.mutate(run.runId, {
            onSuccess: (retried) => void navigate(`/runs/${encodeURIComponent(retried.runId)}`),
          })
        }
      >
        {retry.isPending ? 'Retrying…' : 'Retry'}
      </button>
      {retry.isError && <ActionError error={retry.error} action="retry the run" />}
    </>
  );
}

/** The form, once the run's IR (for its parameter declarations) is read. */
function RerunPanel(props: { run: RunResource; source: RerunSource; id: string; onClose: () => void }) {
  const spec = usePipelineSpec(props.run.pipeline.name, props.run.pipeline.digest);
  return (
    <div id={props.id} className="rerun">
      {spec.isError && <ErrorMessage error={spec.error} what="the pipeline's IR" />}
      {spec.data ? (
        <RerunForm run={props.run} spec={spec.data.spec} source={props.source} onClose={props.onClose} />
      ) : (
        !spec.isError && <Loading what="the pipeline's parameters" />
      )}
    </div>
  );
}

function Actions({ run, may }: { run: RunResource; may: RunPermissions }) {
  const [rerunOpen, setRerunOpen] = useState(false);
  const formId = useId();
  const reasonId = useId();
  const source = rerunSource(run);
  const rerunRefused = 'inline' in source && !may.startInlineSpec;
  return (
    <div className="run-actions">
      <div className="actions" role="toolbar" aria-label="Run actions">
        {(run.state === 'RUNNING' || run.state === 'PENDING') && <CancelAction run={run} />}
        {(run.state === 'FAILED' || run.state === 'CANCELLED') && <RetryAction run={run} />}
        <button
          type="button"
          aria-expanded={rerunOpen}
          aria-controls={rerunOpen ? formId : undefined}
          disabled={rerunRefused}
          {...(rerunRefused ? { 'aria-describedby': reasonId } : {})}
          onClick={() => setRerunOpen((open) => !open)}
        >
          Re-run with changed parameters
        </button>
        {rerunRefused && (
          <span id={reasonId} className="muted">
            Only an admin can re-run this run: it was started from inline IR, not a stored pipeline version.
          </span>
        )}
      </div>
      {rerunOpen && !rerunRefused && (
        <RerunPanel run={run} source={source} id={formId} onClose={() => setRerunOpen(false)} />
      )}
    </div>
  );
}

export function RunActions({ run }: { run: RunResource }) {
  const who = useWhoami();
  // Until the role is known, and for viewers, nothing to press.
  if (!who.data) return null;
  const may = runPermissions(who.data);
  if (!may.operate) return null;
  return <Actions run={run} may={may} />;
}
