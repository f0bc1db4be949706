/** Every pipeline with its latest version. */
import { Link } from 'react-router';
import { usePipelines } from '../../api/queries';
import { QueryView } from '../../components/QueryView';
import { Time } from '../../components/Time';

export function PipelinesPage() {
  const pipelines = usePipelines();
  return (
    <section>
      <h1>Pipelines</h1>
      <QueryView query={pipelines} what="pipelines">
        {({ pipelines: list }) =>
          list.length === 0 ? (
            <p className="muted">No pipelines yet: upload one with `POST /pipelines` (see docs/api.md).</p>
          ) : (
            <table className="list">
              <thead>
                <tr>
                  <th scope="col">Pipeline</th>
                  <th scope="col">Versions</th>
                  <th scope="col">Latest</th>
                  <th scope="col">Uploaded</th>
                </tr>
              </thead>
              <tbody>
                {list.map((p) => (
                  <tr key={p.name}>
                    <td>
                      <Link to={`/pipelines/${encodeURIComponent(p.name)}`}>{p.name}</Link>
                    </td>
                    <td>{p.versions}</td>
                    <td>
                      <Link
                        to={`/pipelines/${encodeURIComponent(p.name)}/versions/${encodeURIComponent(p.latest.version)}`}
                      >
                        {p.latest.version}
                      </Link>
                    </td>
                    <td>
                      <Time iso={p.latest.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryView>
    </section>
  );
}
