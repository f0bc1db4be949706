/** What the IR says about one node of the pipeline graph: its component, inputs and settings. */
import type { PipelineSpec } from '@kiln/ir';
import { describeBinding } from '../../graph/describe';
import { irTaskOf } from '../../graph/ir-task';
import type { GraphNode } from '../../graph/model';
import { shortText } from '../../components/JsonValue';

export function TaskSpecPanel({ spec, node }: { spec: PipelineSpec; node: GraphNode }) {
  const task = node.runTaskId ? irTaskOf(spec, node.runTaskId) : undefined;
  if (!task) {
    return (
      <aside className="panel" aria-label="Selected node">
        <h2>{node.label}</h2>
        <p className="muted">
          {node.kind} group{node.detail ? `: ${node.detail}` : ''}
        </p>
      </aside>
    );
  }
  const component = spec.components[task.component];
  const impl = component?.implementation;
  return (
    <aside className="panel" aria-label="Selected task">
      <h2>{node.label}</h2>
      <dl className="facts">
        <dt>Component</dt>
        <dd>{task.component}</dd>
        {component?.description && (
          <>
            <dt>Description</dt>
            <dd>{shortText(component.description, 300)}</dd>
          </>
        )}
        <dt>Runs</dt>
        <dd>
          {impl?.type === 'container' || impl?.type === 'python'
            ? `${impl.type} in ${impl.image}`
            : (impl?.type ?? '?')}
        </dd>
        {task.settings.displayName && (
          <>
            <dt>Display name</dt>
            <dd>{shortText(task.settings.displayName, 200)}</dd>
          </>
        )}
        {task.settings.retry && (
          <>
            <dt>Retry</dt>
            <dd>
              {task.settings.retry.maxAttempts} attempts, on {task.settings.retry.retryOn.join(' and ')} failures
            </dd>
          </>
        )}
        {task.settings.caching && (
          <>
            <dt>Caching</dt>
            <dd>{task.settings.caching.enabled ? 'on' : 'off'}</dd>
          </>
        )}
      </dl>
      <table className="values">
        <caption>Inputs</caption>
        <tbody>
          {Object.entries(task.inputs).map(([name, binding]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>{shortText(describeBinding(binding), 200)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {component && (
        <p>
          Outputs:{' '}
          {Object.entries(component.outputs)
            .map(([name, io]) => `${name} (${io.type})`)
            .join(', ') || 'none'}
        </p>
      )}
    </aside>
  );
}
