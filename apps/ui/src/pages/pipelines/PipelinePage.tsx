/** One pipeline's versions, newest first, each opening its graph. */
import { Link, useParams } from 'react-router';
import { usePipeline } from '../../api/queries';
import { QueryView } from '../../components/QueryView';
import { Time } from '../../components/Time';

export function PipelinePage() {
  const name = useParams().name ?? '';
  const pipeline = usePipeline(name);
  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/pipelines">Pipelines</Link> /
      </p>
      <h1>{name}</h1>
      <QueryView query={pipeline} what={`pipeline ${name}`}>
        {({ versions }) => (
          <table className="list">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Digest</th>
                <th scope="col">Uploaded</th>
                <th scope="col">By</th>
                <th scope="col">Description</th>
                <th scope="col">Runs</th>
              </tr>
            </thead>
            <tbody>
              {[...versions].reverse().map((v) => (
                <tr key={v.version}>
                  <td>
                    <Link to={`/pipelines/${encodeURIComponent(name)}/versions/${encodeURIComponent(v.version)}`}>
                      {v.version}
                    </Link>
                  </td>
                  <td>
                    <code title={v.digest}>{v.digest.slice(0, 19)}…</code>
                  </td>
                  <td>
                    <Time iso={v.createdAt} />
                  </td>
                  <td>{v.createdBy}</td>
                  <td>{v.description ?? ''}</td>
                  <td>
                    <Link to={`/runs?${new URLSearchParams({ pipeline: name })}`}>runs</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryView>
    </section>
  );
}
