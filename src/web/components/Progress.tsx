import { useTranslation } from 'react-i18next';

type Health = 'green' | 'amber' | 'red' | 'none';

const pctFormat = (lang: string) => new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'sv-SE', { maximumFractionDigits: 0 });

/** "45 %" (or "–" when nothing is calculated). */
export function usePercent() {
  const { i18n } = useTranslation();
  const f = pctFormat(i18n.language);
  return (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${f.format(v)} %`);
}

/** A bar with its value as text next to it; the bar itself is decoration (the text carries the meaning). */
export function ProgressBar({ value, health = 'none', label }: { value: number | null; health?: Health; label?: string }) {
  const pct = usePercent();
  const width = Math.max(0, Math.min(100, value ?? 0));
  return (
    <span className="progress">
      <span className="progress-bar" aria-hidden="true">
        <span className={`progress-fill health-fill-${health}`} style={{ width: `${width}%` }} />
      </span>
      <span className="progress-text">{label ? `${label} ${pct(value)}` : pct(value)}</span>
    </span>
  );
}

/** The health colour with its text label and a shape, so that colour is never the only signal. */
export function HealthBadge({ health, prefix = true }: { health: Health; prefix?: boolean }) {
  const { t } = useTranslation();
  const symbol = { green: '●', amber: '▲', red: '■', none: '○' }[health];
  return (
    <span className={`health health-${health}`}>
      <span aria-hidden="true">{symbol} </span>
      {prefix ? t('program.healthLabel', { health: t(`health.${health}`) }) : t(`health.${health}`)}
    </span>
  );
}

export function Badge({ children }: { children: string }) {
  return <span className="badge">{children}</span>;
}
