/** The frame of every signed-in page: navigation, sign-out, and the page itself. */
import { Suspense } from 'react';
import { NavLink, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { clearToken, readToken } from '../api/token';
import { Loading } from '../components/Loading';
import { signInPath } from './paths';

const sections = [
  { to: '/runs', label: 'Runs' },
  { to: '/pipelines', label: 'Pipelines' },
  { to: '/experiments', label: 'Experiments' },
  { to: '/schedules', label: 'Schedules' },
];

export function Layout() {
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  if (!readToken()) return <Navigate to={signInPath(location.pathname + location.search)} replace />;
  const signOut = () => {
    clearToken();
    queryClient.clear();
    void navigate('/sign-in');
  };
  return (
    <div className="app">
      <header className="app-header">
        <span className="brand">Kiln</span>
        <nav aria-label="Sections">
          <ul>
            {sections.map((s) => (
              <li key={s.to}>
                <NavLink to={s.to}>{s.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" className="link-button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main className="app-main">
        <Suspense fallback={<Loading what="page" />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
