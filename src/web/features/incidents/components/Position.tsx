import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SelectField, TextField } from '../../../components/Field.tsx';
import { inMunicipality, inSweden, latLonOf, parseCoordinate, swerefOf, type LatLon } from '../map/coords.ts';

function useNumber() {
  const { i18n } = useTranslation();
  const locale = i18n.language.startsWith('en') ? 'en-GB' : 'sv-SE';
  return (v: number, digits: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits, useGrouping: false }).format(v);
}

/** A position in both systems, labelled: SWEREF 99 TM (N, E in whole metres) and WGS 84 (degrees, 5 decimals ≈ 1 m). */
export function PositionText({ position }: { position: LatLon }) {
  const { t } = useTranslation();
  const num = useNumber();
  const s = swerefOf(position);
  return (
    <span className="position-text" data-testid="position-text">
      <span>{t('position.sweref', { n: num(s.n, 0), e: num(s.e, 0) })}</span>{' '}
      <span>{t('position.wgs84', { lat: num(position.lat, 5), lon: num(position.lon, 5) })}</span>
    </span>
  );
}

type System = 'sweref' | 'wgs84';

/**
 * Typing a position in SWEREF 99 TM or WGS 84 (a group inside the report form, not a form of its own):
 * checked on "use", a position outside Sweden refused with a Swedish message, one outside the municipal
 * boundary accepted with a note.
 */
export function PositionInput({ onSet }: { onSet: (p: LatLon) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [system, setSystem] = useState<System>('sweref');
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const [errors, setErrors] = useState<{ a?: string; b?: string; both?: string }>({});
  const [note, setNote] = useState<string | null>(null);

  const apply = () => {
    const x = parseCoordinate(a);
    const y = parseCoordinate(b);
    const e = { a: x === null ? t('position.notNumber') : undefined, b: y === null ? t('position.notNumber') : undefined };
    setNote(null);
    if (x === null || y === null) return setErrors(e);
    const p = system === 'sweref' ? latLonOf({ n: x, e: y }) : { lat: x, lon: y };
    if (!Number.isFinite(p.lat) || !Number.isFinite(p.lon) || !inSweden(p)) return setErrors({ both: t('position.outsideSweden') });
    setErrors({});
    const rounded = { lat: Math.round(p.lat * 1e6) / 1e6, lon: Math.round(p.lon * 1e6) / 1e6 };
    if (!inMunicipality(rounded)) setNote(t('position.outsideMunicipality'));
    onSet(rounded);
  };
  const onKey = (e: React.KeyboardEvent) => {
    // Enter uses the coordinates instead of sending the whole report.
    if (e.key === 'Enter') {
      e.preventDefault();
      apply();
    }
  };
  const sweref = system === 'sweref';
  return (
    <fieldset className="fieldset position-input" aria-describedby={errors.both ? `${id}-err` : undefined}>
      <legend>{t('position.enterTitle')}</legend>
      <SelectField id={`${id}-sys`} label={t('position.system')} value={system} onChange={(e) => (setSystem(e.target.value as System), setErrors({}))}>
        <option value="sweref">{t('position.systemSweref')}</option>
        <option value="wgs84">{t('position.systemWgs84')}</option>
      </SelectField>
      <div className="position-input-pair">
        <TextField
          id={`${id}-a`}
          label={t(sweref ? 'position.north' : 'position.lat')}
          description={t(sweref ? 'position.northHint' : 'position.latHint')}
          value={a}
          onChange={(e) => setA(e.target.value)}
          onKeyDown={onKey}
          error={errors.a}
          inputMode="decimal"
          autoComplete="off"
        />
        <TextField
          id={`${id}-b`}
          label={t(sweref ? 'position.east' : 'position.lon')}
          description={t(sweref ? 'position.eastHint' : 'position.lonHint')}
          value={b}
          onChange={(e) => setB(e.target.value)}
          onKeyDown={onKey}
          error={errors.b}
          inputMode="decimal"
          autoComplete="off"
        />
      </div>
      {errors.both && (
        <p id={`${id}-err`} className="field-error" role="alert">
          {errors.both}
        </p>
      )}
      {note && (
        <p className="alert alert-warn" role="status">
          {note}
        </p>
      )}
      <button type="button" className="btn" onClick={apply}>
        {t('position.set')}
      </button>
    </fieldset>
  );
}
