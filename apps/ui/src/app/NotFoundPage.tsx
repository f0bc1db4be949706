import { Link, useLocation } from 'react-router';

export function NotFoundPage() {
  const location = useLocation();
  return (
    <section>
      <h1>Not found</h1>
      <p>
        The UI has no page at <code>{location.pathname}</code>. <Link to="/runs">Go to the runs</Link>.
      </p>
    </section>
  );
}
