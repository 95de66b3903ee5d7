import { Link } from '../../../components/Link.tsx';
import type { Notification } from '../api.ts';

/** The notification's title as a link to where it is dealt with. */
export function NotificationLink({ n }: { n: Notification }) {
  switch (n.subject) {
    case 'follow_up_report':
      return <Link to="/mina-uppgifter">{n.title}</Link>;
    case 'incident_task':
    case 'work_environment_report':
      return (
        <Link to="/handelser/$id" params={{ id: n.recordId }}>
          {n.title}
        </Link>
      );
    case 'remiss':
      return <Link to="/remisser">{n.title}</Link>;
    case 'assignment':
      return (
        <Link to="/arenden/$id/beslut" params={{ id: n.recordId }}>
          {n.title}
        </Link>
      );
    case 'governing_document':
      return (
        <Link to="/styrdokument" search={{ dokument: n.recordId }}>
          {n.title}
        </Link>
      );
  }
}
