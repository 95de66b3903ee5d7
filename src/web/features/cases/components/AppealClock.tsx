import { useTranslation } from 'react-i18next';

/** "23 dagar kvar" / "sista dagen i dag" / "överklagandetiden har gått ut". */
export function AppealClock({ notice }: { notice: { postedOn: string; appealEndsOn: string; daysLeft: number; isExample: boolean } }) {
  const { t } = useTranslation();
  const left = notice.daysLeft > 0 ? t('meetings.daysLeft', { count: notice.daysLeft }) : notice.daysLeft === 0 ? t('meetings.lastDay') : t('meetings.appealOver');
  return (
    <>
      {t('meetings.noticePosted', { posted: notice.postedOn, ends: notice.appealEndsOn })} ({left}){notice.isExample && <> ({t('meetings.example')})</>}
    </>
  );
}

