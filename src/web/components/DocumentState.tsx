import { useTranslation } from 'react-i18next';
import type { DocumentState } from '../../shared/schemas/documents.ts';

/**
 * A governing document's status as it reads today, as a text badge (never colour alone): in force past its
 * validity is "upphört att gälla", apart from upphävd. The register and the program page (a program is its
 * register entry) both show it, so they say the same.
 */
export function DocumentStateBadge({ state }: { state: DocumentState }) {
  const { t } = useTranslation();
  const cls = state === 'in_force' ? 'strong' : state === 'repealed' || state === 'replaced' ? 'badge badge-danger' : 'badge';
  return <span className={cls}>{t(`documentState.${state}`)}</span>;
}
